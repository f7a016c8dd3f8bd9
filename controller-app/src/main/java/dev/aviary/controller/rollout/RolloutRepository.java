package dev.aviary.controller.rollout;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface RolloutRepository extends JpaRepository<Rollout, UUID> {

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

  @Query(
      value =
          "SELECT * FROM rollout WHERE (:plan IS NULL OR plan_name = :plan) AND (:phase IS NULL OR phase = :phase)"
              + " AND (CAST(:scope AS jsonb) IS NULL OR jsonb_exists(CAST(:scope AS jsonb), plan_name))"
              + " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset",
      nativeQuery = true)
  List<Rollout> search(
      @Param("plan") @Nullable String plan,
      @Param("phase") @Nullable String phase,
      @Param("scope") @Nullable String scopeJson,
      @Param("limit") int limit,
      @Param("offset") long offset);

  @Query(
      value =
          "SELECT count(*) FROM rollout WHERE (:plan IS NULL OR plan_name = :plan) AND (:phase IS NULL OR phase = :phase)"
              + " AND (CAST(:scope AS jsonb) IS NULL OR jsonb_exists(CAST(:scope AS jsonb), plan_name))",
      nativeQuery = true)
  long countMatching(
      @Param("plan") @Nullable String plan,
      @Param("phase") @Nullable String phase,
      @Param("scope") @Nullable String scopeJson);

  default long countActive() {
    return countInPhases(Phase.ACTIVE);
  }

  @Query("SELECT count(r) FROM Rollout r WHERE r.phase IN :phases")
  long countInPhases(@Param("phases") Collection<Phase> phases);
}
