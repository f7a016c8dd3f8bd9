package dev.aviary.controller.rollout;

import dev.aviary.controller.plan.NotificationSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A rollout moved from one phase to another. Published inside the transaction that stores the move,
 * so listeners that write (the notification outbox) commit or roll back with it.
 *
 * @param rollout the rollout's id
 * @param eventId the id of the stored event row
 * @param plan the plan's name
 * @param previousPhase where it was; null for a new rollout
 * @param phase where it is now
 * @param weight the canary weight the router confirmed
 * @param step the step index
 * @param verdict the last analysis verdict, or null
 * @param score the last analysis score, or null
 * @param reason why, in words
 * @param actor who or what moved it
 * @param canary the canary's scope (its version and variables)
 * @param at when
 * @param notifications the webhooks the plan tells of transitions
 */
public record RolloutTransitioned(
    UUID rollout,
    long eventId,
    String plan,
    @Nullable Phase previousPhase,
    Phase phase,
    int weight,
    int step,
    @Nullable String verdict,
    @Nullable Double score,
    String reason,
    String actor,
    Map<String, String> canary,
    Instant at,
    List<NotificationSpec> notifications) {

  public RolloutTransitioned {
    canary = Map.copyOf(canary);
    notifications = List.copyOf(notifications);
  }
}
