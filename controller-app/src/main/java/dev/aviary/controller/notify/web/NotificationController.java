package dev.aviary.controller.notify.web;

import dev.aviary.controller.notify.NotificationDeliveries;
import dev.aviary.controller.notify.NotificationDeliveries.Delivery;
import dev.aviary.controller.notify.NotificationDeliveries.State;
import dev.aviary.controller.platform.InvalidRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/notifications}: what was sent where, what failed, and sending it again. */
@RestController
@RequestMapping(path = "/api/v1/notifications")
@Tag(
    name = "Notifications",
    description =
        "Deliveries of the plans' notifications (webhooks, chat, email, PagerDuty, GitHub):"
            + " pending, delivered, or given up after their retries")
class NotificationController {

  private final NotificationDeliveries deliveries;

  NotificationController(NotificationDeliveries deliveries) {
    this.deliveries = deliveries;
  }

  /**
   * One delivery of a notification.
   *
   * @param id the delivery
   * @param rollout the rollout it reports on
   * @param plan the rollout's plan
   * @param event what happened: started, stepCompleted, rolledBack, ...
   * @param channel webhook, slack, teams, googleChat, email, pagerduty or github
   * @param destination where it goes; never a credential
   * @param state pending, delivered or failed (given up: sent again only on request)
   * @param attempts how many times it was sent
   * @param lastError why the last attempt failed
   * @param createdAt when the event happened
   * @param nextAttemptAt when it is sent next, while pending
   * @param deliveredAt when the receiver took it
   * @param givenUpAt when it was given up
   */
  @Schema(name = "NotificationDelivery")
  record DeliveryResponse(
      long id,
      UUID rollout,
      String plan,
      String event,
      String channel,
      String destination,
      @Schema(allowableValues = {"pending", "delivered", "failed"}) String state,
      int attempts,
      @Nullable String lastError,
      Instant createdAt,
      @Nullable Instant nextAttemptAt,
      @Nullable Instant deliveredAt,
      @Nullable Instant givenUpAt) {
    static DeliveryResponse of(Delivery d) {
      return new DeliveryResponse(
          d.id(),
          d.rollout(),
          d.plan(),
          d.event(),
          d.channel(),
          d.destination(),
          d.state().name().toLowerCase(Locale.ROOT),
          d.attempts(),
          d.lastError(),
          d.createdAt(),
          d.nextAttemptAt(),
          d.deliveredAt(),
          d.givenUpAt());
    }
  }

  /**
   * A page of deliveries, newest first.
   *
   * @param items the deliveries
   * @param next the {@code before} that reads the next page; null at the end
   */
  @Schema(name = "NotificationDeliveryPage")
  record DeliveryPage(List<DeliveryResponse> items, @Nullable Long next) {}

  @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "listNotifications",
      summary = "Deliveries, newest first; state=failed lists the given-up ones")
  DeliveryPage list(
      @Parameter(schema = @Schema(allowableValues = {"pending", "delivered", "failed"}))
          @RequestParam(required = false)
          @Nullable String state,
      @RequestParam(required = false) @Nullable String plan,
      @RequestParam(required = false) @Nullable UUID rollout,
      @Parameter(description = "only deliveries older than this id (the previous page's next)")
          @RequestParam(required = false)
          @Nullable Long before,
      @RequestParam(defaultValue = "100") int limit) {
    State s = null;
    if (state != null && !state.isBlank()) {
      try {
        s = State.valueOf(state.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw InvalidRequestException.of("state", "must be pending, delivered or failed");
      }
    }
    List<DeliveryResponse> items =
        deliveries.list(s, plan, rollout, before, limit).stream()
            .map(DeliveryResponse::of)
            .toList();
    return new DeliveryPage(items, items.size() == limit ? items.get(items.size() - 1).id() : null);
  }

  @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "getNotification", summary = "One delivery")
  DeliveryResponse get(@PathVariable long id) {
    return DeliveryResponse.of(deliveries.get(id));
  }

  @PostMapping(path = "/{id}/retry", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "retryNotification",
      summary = "Send a failed or pending delivery again now, with a fresh count of attempts",
      description = "Operators and admins; recorded in the audit log")
  DeliveryResponse retry(@PathVariable long id) {
    return DeliveryResponse.of(deliveries.retry(id));
  }
}
