package dev.aviary.controller.notify;

import dev.aviary.controller.plan.NotificationReader;
import dev.aviary.controller.plan.NotificationSpec;
import dev.aviary.controller.platform.RemoteCalls;
import dev.aviary.controller.platform.webhook.WebhookException;
import dev.aviary.kernel.Retryability;
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
 * Delivers due notifications from the outbox, one row per transaction (row locked, other instances
 * skip it). A failed delivery is tried again with exponential backoff — 2 s, 4 s, 8 s ... at most
 * 10 minutes apart, or later when the receiver says so ({@code Retry-After}) — until {@code
 * aviary.notifications.max-attempts}; a failure that cannot pass by itself (a refused destination,
 * a bad address, a missing commit) is given up at once. Given-up deliveries stay in the outbox,
 * listed by {@code GET /api/v1/notifications?state=failed} and sent again on request. Rollouts
 * never wait for any of this.
 */
@Component
class NotificationDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(NotificationDispatcher.class);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final Deliveries deliveries;
  private final RemoteCalls remote;
  private final JsonMapper json;
  private final Clock clock;
  private final TransactionTemplate tx;
  private final int maxAttempts;

  NotificationDispatcher(
      JdbcClient jdbc,
      Deliveries deliveries,
      RemoteCalls remote,
      JsonMapper json,
      Clock clock,
      PlatformTransactionManager transactions,
      @Value("${aviary.notifications.max-attempts:10}") int maxAttempts) {
    this.jdbc = jdbc;
    this.deliveries = deliveries;
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
      @Nullable String secret,
      @Nullable String channel,
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
                "SELECT id, event_id, url, format, signing_secret::text AS secret, channel::text AS channel,"
                    + " payload::text AS payload, attempts"
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
                        rs.getString("channel"),
                        rs.getString("payload"),
                        rs.getInt("attempts")))
            .optional();
    if (due.isEmpty()) {
      return false;
    }
    Due d = due.get();
    try {
      NotificationSpec channel = channel(d);
      Notice notice = new Notice(json.readValue(d.payload(), MAP));
      remote.run(
          backend(channel),
          channel.destination(),
          () -> deliveries.deliver(channel, notice, "aviary-event-" + d.eventId()));
      jdbc.sql(
              "UPDATE notification_outbox SET delivered_at = :now, attempts = attempts + 1, last_error = NULL WHERE id = :id")
          .param("now", Timestamp.from(clock.instant()))
          .param("id", d.id())
          .update();
    } catch (RuntimeException e) {
      failed(d, e, now);
    }
    return true;
  }

  private void failed(Due d, RuntimeException e, Instant now) {
    int attempts = d.attempts() + 1;
    boolean retryable =
        e instanceof WebhookException w
            ? w.retryLater()
            : !(e instanceof Retryability r) || r.retryable();
    boolean giveUp = attempts >= maxAttempts || !retryable;
    Duration backoff = Duration.ofSeconds(Math.min(600, 1L << Math.min(attempts, 20)));
    Duration asked = e instanceof WebhookException w ? w.retryAfter() : null;
    if (asked != null && asked.compareTo(backoff) > 0) {
      backoff = asked;
    }
    String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    jdbc.sql(
            "UPDATE notification_outbox SET attempts = :attempts, last_error = :error, next_attempt_at = :next,"
                + " given_up_at = :givenUp WHERE id = :id")
        .param("attempts", attempts)
        .param("error", error)
        .param("next", Timestamp.from(now.plus(backoff)))
        .param("givenUp", giveUp ? Timestamp.from(now) : null)
        .param("id", d.id())
        .update();
    if (giveUp) {
      LOG.warn(
          "Gave up the notification {} ({} to {}) after {} attempt(s): {}",
          d.id(),
          d.format(),
          d.url(),
          attempts,
          error);
    }
  }

  /**
   * One breaker per receiving host and port: a dead receiver never holds up the others (Slack's,
   * PagerDuty's and GitHub's webhooks share their service's breaker, as they share its fate).
   */
  private static String backend(NotificationSpec channel) {
    String destination;
    if (channel instanceof NotificationSpec.Webhook w) {
      destination = hostPort(w.url());
    } else if (channel instanceof NotificationSpec.Chat c) {
      destination = c.url() != null ? hostPort(c.url()) : c.type() + "-webhook";
    } else if (channel instanceof NotificationSpec.Email e) {
      destination = e.smtp().host() + ":" + e.smtp().port();
    } else if (channel instanceof NotificationSpec.PagerDuty p) {
      destination = hostPort(p.url());
    } else if (channel instanceof NotificationSpec.GitHub g) {
      destination = hostPort(g.apiUrl());
    } else {
      destination = channel.type();
    }
    return "notify-" + destination;
  }

  private static String hostPort(URI url) {
    int port = url.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }
    return url.getHost() + ":" + port;
  }

  /** The row's channel; rows written before channels were stored name a webhook by its URL. */
  private NotificationSpec channel(Due d) {
    if (d.channel() != null) {
      try {
        return NotificationReader.readStored(json.readValue(d.channel(), MAP));
      } catch (IllegalArgumentException e) {
        throw new WebhookException(String.valueOf(e.getMessage()), false, e);
      }
    }
    URI url = URI.create(d.url());
    if (d.format().equals("slack")) {
      return new NotificationSpec.Chat(
          NotificationSpec.ChatService.SLACK,
          url,
          null,
          dev.aviary.controller.plan.NotificationEvent.ALL);
    }
    return new NotificationSpec.Webhook(
        url, secret(d.secret()), false, dev.aviary.controller.plan.NotificationEvent.ALL);
  }

  private @Nullable SecretRef secret(@Nullable String jsonRef) {
    if (jsonRef == null) {
      return null;
    }
    Map<String, Object> ref = json.readValue(jsonRef, MAP);
    return new SecretRef(
        (String) ref.get("env"), (String) ref.get("file"), (String) ref.get("encrypted"));
  }
}
