package dev.aviary.controller.routing;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Who a router is driven for.
 *
 * @param plan the plan's name
 * @param rollout the rollout's id, or null outside a rollout
 * @param change names the traffic change being made: the same for every attempt at one change,
 *     across retries and restarts, new for the next change (a weight, a correction of drift, the
 *     finish). Routers that call HTTP APIs send it as their {@code Idempotency-Key}, so that a
 *     change retried after a timeout or a crash is applied once.
 * @param canary the release's canary variables ({@code version} and the plan's own), for routers
 *     whose canary is named per release (a Lambda function version); empty outside a rollout
 */
public record RouterTarget(
    String plan, String rollout, Supplier<String> change, Map<String, String> canary) {

  public RouterTarget {
    canary = Map.copyOf(canary);
  }

  /** A target within a rollout's ticks. */
  public RouterTarget(String plan, String rollout, Supplier<String> change) {
    this(plan, rollout, change, Map.of());
  }

  /** A target outside a rollout's ticks, whose every call is its own change. */
  public RouterTarget(String plan, String rollout) {
    this(plan, rollout, () -> rollout, Map.of());
  }
}
