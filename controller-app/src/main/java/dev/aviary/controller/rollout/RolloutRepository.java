package dev.aviary.controller.rollout;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface RolloutRepository extends JpaRepository<Rollout, UUID>, RolloutSearch {

  /**
   * The id of one rollout due for a tick, locked for this transaction; rows another instance holds
   * are skipped, so two instances never tick the same rollout at once.
   */
  @Query(
      value =
          "SELECT id FROM rollout WHERE next_tick_at <= :now ORDER BY next_tick_at"
              + " LIMIT 1 FOR UPDATE SKIP LOCKED",
      nativeQuery = true)
  Optional<UUID> claimDue(@Param("now") Instant now);

  /** The rollout, waiting for a tick in progress to finish (actions of people and pipelines). */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("SELECT r FROM Rollout r WHERE r.id = :id")
  Optional<Rollout> lockById(@Param("id") UUID id);

  @Query("SELECT r FROM Rollout r WHERE r.release.idempotencyKey = :key")
  Optional<Rollout> findByIdempotencyKey(@Param("key") String idempotencyKey);

  /** The plan's active rollout; the database's partial unique index allows at most one. */
  default Optional<Rollout> findActive(String plan) {
    return findInPhases(plan, Phase.ACTIVE);
  }

  @Query("SELECT r FROM Rollout r WHERE r.planName = :plan AND r.phase IN :phases")
  Optional<Rollout> findInPhases(
      @Param("plan") String plan, @Param("phases") Collection<Phase> phases);

  /** The slot the plan's last promoted rollout released to: live now, if the plan alternates. */
  @Query(
      value =
          "SELECT slot FROM rollout WHERE plan_name = :plan AND phase = 'SUCCEEDED'"
              + " ORDER BY finished_at DESC NULLS LAST, created_at DESC LIMIT 1",
      nativeQuery = true)
  Optional<String> lastPromotedSlot(@Param("plan") String plan);

  default long countActive() {
    return countInPhases(Phase.ACTIVE);
  }

  @Query("SELECT count(r) FROM Rollout r WHERE r.phase IN :phases")
  long countInPhases(@Param("phases") Collection<Phase> phases);
}
