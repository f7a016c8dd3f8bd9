package dev.aviary.controller.freeze;

import dev.aviary.controller.platform.Actors;
import dev.aviary.controller.platform.AuditTrail;
import dev.aviary.controller.platform.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sets, lists and removes concurrency limits, and answers whether a rollout may begin under them: a
 * pending rollout begins only while fewer than {@code maxActive} rollouts of the covered plans are
 * under way and no older pending one of them waits for the slot (first come, first served). The
 * count is taken under a transaction-scoped advisory lock per limit, so two replicas beginning two
 * rollouts at once never both take the last slot.
 */
@Service
public class ConcurrencyLimits {

  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;
  private final Actors actors;
  private final AuditTrail audit;

  ConcurrencyLimits(
      JdbcClient jdbc, JsonMapper json, Clock clock, Actors actors, AuditTrail audit) {
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
    this.actors = actors;
    this.audit = audit;
  }

  @Transactional
  public ConcurrencyLimit set(Map<String, String> labels, int maxActive, String reason) {
    ConcurrencyLimit limit =
        new ConcurrencyLimit(
            UUID.randomUUID(), labels, maxActive, reason, actors.current(), clock.instant());
    jdbc.sql(
            "INSERT INTO concurrency_limit (id, labels, max_active, reason, created_by, created_at)"
                + " VALUES (:id, CAST(:labels AS jsonb), :max, :reason, :by, :at)")
        .param("id", limit.id())
        .param("labels", json.writeValueAsString(limit.labels()))
        .param("max", maxActive)
        .param("reason", reason)
        .param("by", limit.createdBy())
        .param("at", Timestamp.from(limit.createdAt()))
        .update();
    audit.record(
        limit.createdBy(),
        "concurrency-limit.set",
        "concurrency-limit:" + limit.id(),
        Map.of("labels", limit.labels(), "maxActive", maxActive, "reason", reason));
    return limit;
  }

  @Transactional
  public void remove(UUID id) {
    ConcurrencyLimit limit = get(id);
    jdbc.sql("DELETE FROM concurrency_limit WHERE id = :id").param("id", id).update();
    audit.record(
        actors.current(),
        "concurrency-limit.removed",
        "concurrency-limit:" + id,
        Map.of("labels", limit.labels(), "maxActive", limit.maxActive()));
  }

  public ConcurrencyLimit get(UUID id) {
    return jdbc.sql("SELECT * FROM concurrency_limit WHERE id = :id")
        .param("id", id)
        .query(this::row)
        .optional()
        .orElseThrow(() -> new NotFoundException("no concurrency limit " + id));
  }

  public List<ConcurrencyLimit> list() {
    return jdbc.sql("SELECT * FROM concurrency_limit ORDER BY created_at").query(this::row).list();
  }

  /**
   * Why the pending rollout {@code rollout} (created at {@code createdAt}) of a plan with {@code
   * labels} may not begin now; empty when it may. Runs in the caller's transaction, whose advisory
   * locks hold until it commits.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public Optional<String> waitReason(UUID rollout, Map<String, String> labels, Instant createdAt) {
    for (ConcurrencyLimit limit : list()) {
      if (!limit.covers(labels)) {
        continue;
      }
      jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
          .param("key", "aviary-concurrency-limit:" + limit.id())
          .query((rs, n) -> 1)
          .list();
      String covered = json.writeValueAsString(limit.labels());
      int active =
          jdbc.sql(
                  "SELECT count(*) FROM rollout WHERE id <> :me"
                      + " AND plan_spec -> 'labels' @> CAST(:labels AS jsonb)"
                      + " AND phase IN ('PROGRESSING', 'PAUSED', 'ROLLING_BACK')")
              .param("me", rollout)
              .param("labels", covered)
              .query(Integer.class)
              .single();
      int ahead =
          jdbc.sql(
                  "SELECT count(*) FROM rollout WHERE id <> :me"
                      + " AND plan_spec -> 'labels' @> CAST(:labels AS jsonb)"
                      + " AND phase = 'PENDING' AND created_at < :createdAt")
              .param("me", rollout)
              .param("labels", covered)
              .param("createdAt", Timestamp.from(createdAt))
              .query(Integer.class)
              .single();
      if (active + ahead >= limit.maxActive()) {
        return Optional.of(
            "waiting for a slot: "
                + active
                + " of at most "
                + limit.maxActive()
                + " rollouts of plans labelled "
                + limit.labelsText()
                + " are under way"
                + (ahead > 0 ? " and " + ahead + " started earlier wait" : "")
                + " ("
                + limit.reason()
                + ")");
      }
    }
    return Optional.empty();
  }

  private ConcurrencyLimit row(ResultSet rs, int n) throws SQLException {
    return new ConcurrencyLimit(
        rs.getObject("id", UUID.class),
        json.readValue(rs.getString("labels"), LABELS),
        rs.getInt("max_active"),
        rs.getString("reason"),
        rs.getString("created_by"),
        rs.getTimestamp("created_at").toInstant());
  }
}
