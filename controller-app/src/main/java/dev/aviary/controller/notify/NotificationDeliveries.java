package dev.aviary.controller.notify;

import dev.aviary.controller.platform.Actors;
import dev.aviary.controller.platform.AuditTrail;
import dev.aviary.controller.platform.ConflictException;
import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.controller.platform.NotFoundException;
import dev.aviary.controller.platform.PlanAccess;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The outbox as people see it: each delivery's channel, event, state, attempts and last error —
 * above all the ones given up (the dead letters) — and a way to send one again.
 */
@Service
public class NotificationDeliveries {

  /** Where a delivery stands. */
  public enum State {
    /** Waiting for its first or its next attempt. */
    PENDING,
    /** The receiver took it. */
    DELIVERED,
    /** Given up: attempts spent, or a failure no retry can mend. Sent again only on request. */
    FAILED
  }

  /**
   * One delivery.
   *
   * @param id the delivery
   * @param rollout the rollout it reports on
   * @param plan the rollout's plan
   * @param event what happened ({@code rolledBack}, ...)
   * @param channel the channel's type
   * @param destination where it goes (never a credential)
   * @param state pending, delivered or failed
   * @param attempts how many times it was sent
   * @param lastError why the last attempt failed
   * @param createdAt when the event happened
   * @param nextAttemptAt when it is sent next, while pending
   * @param deliveredAt when the receiver took it
   * @param givenUpAt when it was given up
   */
  public record Delivery(
      long id,
      UUID rollout,
      String plan,
      String event,
      String channel,
      String destination,
      State state,
      int attempts,
      @Nullable String lastError,
      Instant createdAt,
      @Nullable Instant nextAttemptAt,
      @Nullable Instant deliveredAt,
      @Nullable Instant givenUpAt) {}

  private static final String SELECT =
      "SELECT o.id, o.rollout_id, r.plan_name, coalesce(o.event, o.payload->>'event') AS event, o.format, o.url,"
          + " o.attempts, o.last_error, e.at AS created_at, o.next_attempt_at, o.delivered_at, o.given_up_at"
          + " FROM notification_outbox o JOIN rollout r ON r.id = o.rollout_id"
          + " JOIN rollout_event e ON e.id = o.event_id";

  private final JdbcClient jdbc;
  private final PlanAccess access;
  private final Actors actors;
  private final AuditTrail audit;
  private final Clock clock;

  NotificationDeliveries(
      JdbcClient jdbc, PlanAccess access, Actors actors, AuditTrail audit, Clock clock) {
    this.jdbc = jdbc;
    this.access = access;
    this.actors = actors;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * Deliveries newest first, those before {@code before} (an id) when given, of the plans the
   * caller may see.
   */
  @Transactional(readOnly = true)
  public List<Delivery> list(
      @Nullable State state,
      @Nullable String plan,
      @Nullable UUID rollout,
      @Nullable Long before,
      int limit) {
    if (limit < 1 || limit > 500) {
      throw InvalidRequestException.of("limit", "must be between 1 and 500");
    }
    List<String> where = new ArrayList<>();
    Map<String, Object> params = new LinkedHashMap<>();
    if (state != null) {
      where.add(
          switch (state) {
            case PENDING -> "o.delivered_at IS NULL AND o.given_up_at IS NULL";
            case DELIVERED -> "o.delivered_at IS NOT NULL";
            case FAILED -> "o.given_up_at IS NOT NULL";
          });
    }
    if (plan != null) {
      where.add("r.plan_name = :plan");
      params.put("plan", plan);
    }
    if (rollout != null) {
      where.add("o.rollout_id = :rollout");
      params.put("rollout", rollout);
    }
    if (before != null) {
      where.add("o.id < :before");
      params.put("before", before);
    }
    Optional<Set<String>> visible = access.visiblePlans();
    if (visible.isPresent()) {
      if (visible.get().isEmpty()) {
        return List.of();
      }
      where.add("r.plan_name IN (:visible)");
      params.put("visible", List.copyOf(visible.get()));
    }
    String sql =
        SELECT
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + " ORDER BY o.id DESC LIMIT :limit";
    params.put("limit", limit);
    return jdbc.sql(sql).params(params).query((rs, n) -> delivery(rs)).list();
  }

  @Transactional(readOnly = true)
  public Delivery get(long id) {
    Delivery d = find(id);
    access.check(d.plan());
    return d;
  }

  /**
   * Sends a failed or pending delivery again now, with a fresh count of attempts; recorded in the
   * audit log.
   *
   * @throws ConflictException when it was delivered already
   */
  @Transactional
  public Delivery retry(long id) {
    Delivery d = find(id);
    access.check(d.plan());
    if (d.state() == State.DELIVERED) {
      throw new ConflictException(
          "notification " + id + " was delivered at " + d.deliveredAt() + "; nothing to retry");
    }
    jdbc.sql(
            "UPDATE notification_outbox SET given_up_at = NULL, attempts = 0, next_attempt_at = :now"
                + " WHERE id = :id AND delivered_at IS NULL")
        .param("now", Timestamp.from(clock.instant()))
        .param("id", id)
        .update();
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("plan", d.plan());
    detail.put("rollout", d.rollout().toString());
    detail.put("event", d.event());
    detail.put("channel", d.channel());
    detail.put("destination", d.destination());
    audit.record(actors.current(), "notification.retried", "notification:" + id, detail);
    return find(id);
  }

  private Delivery find(long id) {
    return jdbc.sql(SELECT + " WHERE o.id = :id")
        .param("id", id)
        .query((rs, n) -> delivery(rs))
        .optional()
        .orElseThrow(() -> new NotFoundException("no notification " + id));
  }

  private static Delivery delivery(ResultSet rs) throws SQLException {
    Instant delivered = instant(rs, "delivered_at");
    Instant givenUp = instant(rs, "given_up_at");
    State state =
        delivered != null ? State.DELIVERED : givenUp != null ? State.FAILED : State.PENDING;
    String event = rs.getString("event");
    if (event != null && event.startsWith("rollout.")) {
      event = event.substring("rollout.".length());
    }
    String channel = rs.getString("format");
    return new Delivery(
        rs.getLong("id"),
        rs.getObject("rollout_id", UUID.class),
        rs.getString("plan_name"),
        event == null ? "transition" : event,
        channel.equals("json") ? "webhook" : channel,
        rs.getString("url"),
        state,
        rs.getInt("attempts"),
        rs.getString("last_error"),
        java.util.Objects.requireNonNull(instant(rs, "created_at")),
        state == State.PENDING ? instant(rs, "next_attempt_at") : null,
        delivered,
        givenUp);
  }

  private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
