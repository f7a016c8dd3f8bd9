package dev.aviary.controller.notify;

import dev.aviary.controller.platform.RemoteCalls;
import dev.aviary.controller.platform.webhook.WebhookSender;
import dev.aviary.kernel.SecretRef;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers due webhook notifications from the outbox, one row per transaction (row locked, other
 * instances skip it). A failed delivery is tried again with exponential backoff — 2 s, 4 s, 8 s ...
 * at most 10 minutes apart — until {@code aviary.notifications.max-attempts}, then given up and
 * logged. Rollouts never wait for any of this.
 */
@Component
class NotificationDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(NotificationDispatcher.class);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final WebhookSender sender;
  private final RemoteCalls remote;
  private final JsonMapper json;
  private final Clock clock;
  private final TransactionTemplate tx;
  private final int maxAttempts;

  NotificationDispatcher(
      JdbcClient jdbc,
      WebhookSender sender,
      RemoteCalls remote,
      JsonMapper json,
      Clock clock,
      PlatformTransactionManager transactions,
      @Value("${aviary.notifications.max-attempts:10}") int maxAttempts) {
    this.jdbc = jdbc;
    this.sender = sender;
    this.remote = remote;
    this.json = json;
    this.clock = clock;
    this.tx = new TransactionTemplate(transactions);
    this.maxAttempts = maxAttempts;
  }

  private record Due(
      long id,
      long eventId,
      String url,
      String format,
      String secret,
      String payload,
      int attempts) {}

  /** Delivers due notifications for at most {@code budget}; returns how many were attempted. */
  int drain(Duration budget) {
    Instant stop = clock.instant().plus(budget);
    int attempted = 0;
    while (clock.instant().isBefore(stop)
        && Boolean.TRUE.equals(tx.execute(status -> deliverOne()))) {
      attempted++;
    }
    return attempted;
  }

  private boolean deliverOne() {
    Instant now = clock.instant();
    Optional<Due> due =
        jdbc.sql(
                "SELECT id, event_id, url, format, signing_secret::text AS secret, payload::text AS payload, attempts"
                    + " FROM notification_outbox WHERE delivered_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= :now"
                    + " ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED")
            .param("now", Timestamp.from(now))
            .query(
                (rs, n) ->
                    new Due(
                        rs.getLong("id"),
                        rs.getLong("event_id"),
                        rs.getString("url"),
                        rs.getString("format"),
                        rs.getString("secret"),
                        rs.getString("payload"),
                        rs.getInt("attempts")))
            .optional();
    if (due.isEmpty()) {
      return false;
    }
    Due d = due.get();
    URI url = URI.create(d.url());
    try {
      String body = d.format().equals("slack") ? slack(d.payload()) : d.payload();
      remote.run(
          "webhook-" + url.getHost(),
          () -> sender.post(url, body, secret(d.secret()), "aviary-event-" + d.eventId()));
      jdbc.sql(
              "UPDATE notification_outbox SET delivered_at = :now, attempts = attempts + 1, last_error = NULL WHERE id = :id")
          .param("now", Timestamp.from(clock.instant()))
          .param("id", d.id())
          .update();
    } catch (RuntimeException e) {
      int attempts = d.attempts() + 1;
      boolean giveUp = attempts >= maxAttempts;
      Instant next = now.plus(Duration.ofSeconds(Math.min(600, 1L << Math.min(attempts, 20))));
      jdbc.sql(
              "UPDATE notification_outbox SET attempts = :attempts, last_error = :error, next_attempt_at = :next,"
                  + " given_up_at = :givenUp WHERE id = :id")
          .param("attempts", attempts)
          .param("error", e.getMessage())
          .param("next", Timestamp.from(next))
          .param("givenUp", giveUp ? Timestamp.from(now) : null)
          .param("id", d.id())
          .update();
      if (giveUp) {
        LOG.warn(
            "Gave up the notification {} to {} after {} attempts: {}",
            d.id(),
            url.getHost(),
            attempts,
            e.getMessage());
      }
    }
    return true;
  }

  private @Nullable SecretRef secret(String jsonRef) {
    if (jsonRef == null) {
      return null;
    }
    Map<String, Object> ref = json.readValue(jsonRef, MAP);
    return new SecretRef(
        (String) ref.get("env"), (String) ref.get("file"), (String) ref.get("encrypted"));
  }

  /** A Slack incoming-webhook message for the same event. */
  private String slack(String payloadJson) {
    Map<String, Object> p = json.readValue(payloadJson, MAP);
    Object version = p.get("canary") instanceof Map<?, ?> canary ? canary.get("version") : null;
    String text =
        "*"
            + p.get("plan")
            + "*"
            + (version == null ? "" : " " + version)
            + ": "
            + p.get("previousPhase")
            + " → *"
            + p.get("phase")
            + "* at "
            + p.get("weight")
            + "% canary"
            + (p.get("verdict") == null
                ? ""
                : ", last verdict " + p.get("verdict") + " (score " + p.get("score") + ")")
            + "\n"
            + p.get("reason");
    return json.writeValueAsString(Map.of("text", text));
  }
}
