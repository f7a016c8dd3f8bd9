package dev.aviary.controller.notify;

import dev.aviary.controller.plan.NotificationSpec;
import dev.aviary.controller.rollout.RolloutTransitioned;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns every rollout transition into one outbox row per webhook of its plan, in the transaction
 * that stored the transition: a committed transition has its deliveries queued, a rolled-back one
 * has none. {@link NotificationDispatcher} delivers them.
 */
@Component
class TransitionNotifications {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  TransitionNotifications(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @EventListener
  void on(RolloutTransitioned e) {
    if (e.notifications().isEmpty()) {
      return;
    }
    String payload = json.writeValueAsString(payload(e));
    for (NotificationSpec n : e.notifications()) {
      Map<String, Object> secret =
          n.signingSecret() == null ? null : n.signingSecret().toDocument();
      jdbc.sql(
              "INSERT INTO notification_outbox (rollout_id, event_id, url, format, signing_secret, payload, next_attempt_at)"
                  + " VALUES (:rollout, :event, :url, :format, CAST(:secret AS jsonb), CAST(:payload AS jsonb), :at)")
          .param("rollout", e.rollout())
          .param("event", e.eventId())
          .param("url", n.url().toString())
          .param("format", n.format())
          .param("secret", secret == null ? null : json.writeValueAsString(secret))
          .param("payload", payload)
          .param("at", Timestamp.from(e.at()))
          .update();
    }
  }

  /** The event document webhooks receive (docs/plans.md, "notifications"). */
  static Map<String, Object> payload(RolloutTransitioned e) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("event", "rollout.transition");
    payload.put("plan", e.plan());
    payload.put("rollout", e.rollout().toString());
    payload.put("phase", e.phase().name());
    payload.put("previousPhase", e.previousPhase() == null ? null : e.previousPhase().name());
    payload.put("weight", e.weight());
    payload.put("step", e.step() + 1); // numbered as people count, as the reason's text
    payload.put("stepIndex", e.step());
    payload.put("verdict", e.verdict());
    payload.put("score", e.score());
    payload.put("reason", e.reason());
    payload.put("actor", e.actor());
    payload.put("canary", e.canary());
    payload.put("at", e.at().toString());
    return payload;
  }
}
