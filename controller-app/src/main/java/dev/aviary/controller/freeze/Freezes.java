package dev.aviary.controller.freeze;

import dev.aviary.controller.platform.Actors;
import dev.aviary.controller.platform.AuditTrail;
import dev.aviary.controller.platform.ConflictException;
import dev.aviary.controller.platform.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Declares, lists and lifts freezes, and answers which are in force for a plan. Rollouts ask on
 * every tick that would raise traffic; the freezes in force and coming are read at most every
 * {@link #FRESH} per replica (at once after a change on this one), so that hundreds of held
 * rollouts do not each read the table.
 */
@Service
public class Freezes {

  /** How long this replica trusts what it read; another replica's change shows within it. */
  static final Duration FRESH = Duration.ofSeconds(2);

  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;
  private final Actors actors;
  private final AuditTrail audit;

  private volatile @Nullable Cached cached;

  private record Cached(Instant readAt, List<Freeze> freezes) {}

  Freezes(JdbcClient jdbc, JsonMapper json, Clock clock, Actors actors, AuditTrail audit) {
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
    this.actors = actors;
    this.audit = audit;
  }

  /**
   * Declares a freeze.
   *
   * @param from when it begins; now when null
   */
  @Transactional
  public Freeze declare(
      String reason, Map<String, String> labels, @Nullable Instant from, Instant until) {
    Instant now = clock.instant();
    Freeze f =
        new Freeze(
            UUID.randomUUID(),
            reason,
            labels,
            from == null ? now : from,
            until,
            actors.current(),
            now,
            null,
            null);
    jdbc.sql(
            "INSERT INTO release_freeze (id, reason, labels, starts_at, ends_at, created_by, created_at)"
                + " VALUES (:id, :reason, CAST(:labels AS jsonb), :from, :until, :by, :at)")
        .param("id", f.id())
        .param("reason", f.reason())
        .param("labels", json.writeValueAsString(f.labels()))
        .param("from", Timestamp.from(f.from()))
        .param("until", Timestamp.from(f.until()))
        .param("by", f.createdBy())
        .param("at", Timestamp.from(now))
        .update();
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("reason", reason);
    detail.put("labels", f.labels());
    detail.put("from", f.from().toString());
    detail.put("until", f.until().toString());
    audit.record(f.createdBy(), "freeze.declared", "freeze:" + f.id(), detail);
    cached = null;
    return f;
  }

  /** Lifts a freeze before its end: rollouts it held go on at their next tick. */
  @Transactional
  public Freeze lift(UUID id) {
    Freeze f = get(id);
    Instant now = clock.instant();
    if (f.liftedAt() != null) {
      throw new ConflictException(
          "freeze " + id + " was lifted already, at " + f.liftedAt() + " by " + f.liftedBy());
    }
    if (!now.isBefore(f.until())) {
      throw new ConflictException("freeze " + id + " has ended already, at " + f.until());
    }
    String actor = actors.current();
    jdbc.sql("UPDATE release_freeze SET lifted_at = :at, lifted_by = :by WHERE id = :id")
        .param("at", Timestamp.from(now))
        .param("by", actor)
        .param("id", id)
        .update();
    audit.record(actor, "freeze.lifted", "freeze:" + id, Map.of("reason", f.reason()));
    cached = null;
    return get(id);
  }

  public Freeze get(UUID id) {
    return jdbc.sql("SELECT * FROM release_freeze WHERE id = :id")
        .param("id", id)
        .query(this::row)
        .optional()
        .orElseThrow(() -> new NotFoundException("no freeze " + id));
  }

  /** Freezes in force or still to come, by start; with {@code all}, every freeze, newest first. */
  public List<Freeze> list(boolean all) {
    if (all) {
      return jdbc.sql("SELECT * FROM release_freeze ORDER BY created_at DESC LIMIT 500")
          .query(this::row)
          .list();
    }
    return jdbc.sql(
            "SELECT * FROM release_freeze WHERE lifted_at IS NULL AND ends_at > :now ORDER BY starts_at")
        .param("now", Timestamp.from(clock.instant()))
        .query(this::row)
        .list();
  }

  /** The freezes that hold a plan with {@code labels} at {@code at}, oldest first. */
  public List<Freeze> inForce(Map<String, String> labels, Instant at) {
    Cached c = cached;
    Instant now = clock.instant();
    if (c == null || now.isAfter(c.readAt().plus(FRESH)) || now.isBefore(c.readAt())) {
      c = new Cached(now, list(false));
      cached = c;
    }
    return c.freezes().stream().filter(f -> f.inForce(at) && f.covers(labels)).toList();
  }

  private Freeze row(ResultSet rs, int n) throws SQLException {
    Timestamp lifted = rs.getTimestamp("lifted_at");
    return new Freeze(
        rs.getObject("id", UUID.class),
        rs.getString("reason"),
        json.readValue(rs.getString("labels"), LABELS),
        rs.getTimestamp("starts_at").toInstant(),
        rs.getTimestamp("ends_at").toInstant(),
        rs.getString("created_by"),
        rs.getTimestamp("created_at").toInstant(),
        lifted == null ? null : lifted.toInstant(),
        rs.getString("lifted_by"));
  }
}
