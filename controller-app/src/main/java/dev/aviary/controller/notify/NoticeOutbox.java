package dev.aviary.controller.notify;

import dev.aviary.controller.plan.NotificationReader;
import dev.aviary.controller.plan.NotificationSpec;
import dev.aviary.controller.rollout.ApprovalLinks;
import dev.aviary.controller.rollout.RolloutNotice;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns every {@link RolloutNotice} into one outbox row per channel of its plan that hears that
 * event, in the transaction that stored it: a committed decision has its deliveries queued, a
 * rolled-back one has none. Each row keeps the channel as the plan wrote it (references to secrets,
 * never their values) and the event document; {@link NotificationDispatcher} delivers them.
 */
@Component
class NoticeOutbox {

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final ApprovalLinks links;
  private final @Nullable String publicUrl;

  NoticeOutbox(
      JdbcClient jdbc,
      JsonMapper json,
      ApprovalLinks links,
      @Value("${aviary.public-url:}") String publicUrl) {
    this.jdbc = jdbc;
    this.json = json;
    this.links = links;
    String base = publicUrl.strip();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    this.publicUrl = base.isEmpty() ? null : URI.create(base).toString();
  }

  @EventListener
  void on(RolloutNotice e) {
    String payload = null;
    for (NotificationSpec channel : e.notifications()) {
      if (!channel.on().contains(e.event())) {
        continue;
      }
      if (payload == null) {
        Map<String, Object> document = payload(e, publicUrl);
        Instant deadline = e.approvalDeadline();
        if (publicUrl != null && deadline != null) {
          // one link for every channel of this event: it answers once, whichever is followed
          document.put(
              "approvalLink",
              publicUrl + "/approvals/" + links.create(e.rollout(), e.step(), deadline));
        }
        payload = json.writeValueAsString(document);
      }
      jdbc.sql(
              "INSERT INTO notification_outbox (rollout_id, event_id, event, url, format, channel, payload, next_attempt_at)"
                  + " VALUES (:rollout, :eventId, :event, :destination, :type, CAST(:channel AS jsonb), CAST(:payload AS jsonb), :at)")
          .param("rollout", e.rollout())
          .param("eventId", e.eventId())
          .param("event", e.event().key())
          .param("destination", channel.destination())
          .param("type", channel.type())
          .param("channel", json.writeValueAsString(NotificationReader.document(channel)))
          .param("payload", payload)
          .param("at", Timestamp.from(e.at()))
          .update();
    }
  }

  /** The event document webhooks receive (docs/notifications.md). */
  static Map<String, Object> payload(RolloutNotice e, @Nullable String publicUrl) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("event", "rollout." + e.event().key());
    payload.put("id", String.valueOf(e.eventId()));
    payload.put("plan", e.plan());
    payload.put("rollout", e.rollout().toString());
    payload.put("phase", e.phase().name());
    payload.put("previousPhase", e.previousPhase() == null ? null : e.previousPhase().name());
    payload.put("weight", e.weight());
    payload.put("step", e.step() + 1); // numbered as people count, as the reason's text
    payload.put("stepIndex", e.step());
    payload.put("steps", e.steps());
    payload.put("verdict", e.verdict());
    payload.put("score", e.score());
    payload.put("rollbackCause", e.rollbackCause());
    payload.put("reason", e.reason());
    payload.put("actor", e.actor());
    payload.put("canary", e.canary());
    payload.put("metadata", e.metadata());
    payload.put("at", e.at().toString());
    payload.put("link", publicUrl == null ? null : publicUrl + "/rollouts/" + e.rollout());
    return payload;
  }
}
