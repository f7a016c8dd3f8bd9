package dev.aviary.controller.security;

import dev.aviary.controller.platform.AuditTrail;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Security-relevant changes that are neither rollout events nor plan revisions: tokens issued,
 * revoked and bootstrapped. Written in the transaction of the change it records.
 */
@Component
public class AuditLog implements AuditTrail {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;

  AuditLog(JdbcClient jdbc, JsonMapper json, Clock clock) {
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public void record(String actor, String action, String target, Map<String, ?> detail) {
    jdbc.sql(
            "INSERT INTO audit_log (at, actor, action, target, detail)"
                + " VALUES (:at, :actor, :action, :target, CAST(:detail AS jsonb))")
        .param("at", java.sql.Timestamp.from(clock.instant()))
        .param("actor", actor)
        .param("action", action)
        .param("target", target)
        .param("detail", json.writeValueAsString(detail))
        .update();
  }

  /**
   * One entry.
   *
   * @param id ascending
   * @param at when
   * @param actor who
   * @param action what kind of change
   * @param target what it changed
   * @param detail what else is worth knowing
   */
  public record Entry(
      long id,
      Instant at,
      String actor,
      String action,
      String target,
      Map<String, Object> detail) {}

  /** Entries after {@code afterId}, oldest first, optionally only one actor's. */
  public List<Entry> list(String actor, long afterId, int limit) {
    return jdbc.sql(
            "SELECT id, at, actor, action, target, detail FROM audit_log"
                + " WHERE id > :after AND (CAST(:actor AS varchar) IS NULL OR actor = :actor)"
                + " ORDER BY id LIMIT :limit")
        .param("after", afterId)
        .param("actor", actor)
        .param("limit", limit)
        .query(
            (rs, n) ->
                new Entry(
                    rs.getLong("id"),
                    rs.getTimestamp("at").toInstant(),
                    rs.getString("actor"),
                    rs.getString("action"),
                    rs.getString("target"),
                    json.readValue(rs.getString("detail"), MAP)))
        .list();
  }
}
