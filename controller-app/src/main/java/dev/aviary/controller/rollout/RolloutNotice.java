package dev.aviary.controller.rollout;

import dev.aviary.controller.plan.NotificationEvent;
import dev.aviary.controller.plan.NotificationSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A rollout did something people may want to hear of: it started, completed a step, failed an
 * analysis, paused, asked for an approval, was held, promoted, rolled back. Published inside the
 * transaction that stores it, so listeners that write (the notification outbox) commit or roll back
 * with it.
 *
 * @param rollout the rollout's id
 * @param eventId the id of the stored event row
 * @param event which notification event
 * @param plan the plan's name
 * @param previousPhase for a change of phase, where it was; otherwise null
 * @param phase where it is now
 * @param weight the canary weight the router confirmed
 * @param step the step index
 * @param steps how many steps the plan has
 * @param verdict the last analysis verdict, or null
 * @param score the last analysis score, or null
 * @param rollbackCause why it rolls back, once it does
 * @param reason why, in words
 * @param actor who or what moved it
 * @param canary the canary's scope (its version and variables)
 * @param metadata what the pipeline said of the release (its commit, say)
 * @param at when
 * @param approvalDeadline for {@code approvalNeeded}: until when the step waits for an answer
 * @param notifications the channels the plan reports to
 */
public record RolloutNotice(
    UUID rollout,
    long eventId,
    NotificationEvent event,
    String plan,
    @Nullable Phase previousPhase,
    Phase phase,
    int weight,
    int step,
    int steps,
    @Nullable String verdict,
    @Nullable Double score,
    @Nullable String rollbackCause,
    String reason,
    String actor,
    Map<String, String> canary,
    Map<String, String> metadata,
    Instant at,
    @Nullable Instant approvalDeadline,
    List<NotificationSpec> notifications) {

  public RolloutNotice {
    canary = Map.copyOf(canary);
    metadata = Map.copyOf(metadata);
    notifications = List.copyOf(notifications);
  }
}
