package dev.aviary.controller.rollout;

import dev.aviary.controller.plan.PlanSpec;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Whether a plan's rollouts may raise traffic now: not during a freeze that covers the plan, not
 * outside the plan's release windows. A held rollout keeps its weight and is still judged (and
 * rolled back on bad metrics). A rollout begins only while a slot under the concurrency limits that
 * cover its plan is free.
 */
@FunctionalInterface
interface ReleaseGate {

  /** A gate that never holds. */
  ReleaseGate OPEN = (plan, now) -> Optional.empty();

  /** Why {@code plan}'s rollouts may not raise traffic at {@code now}; empty when they may. */
  Optional<String> closed(PlanSpec plan, Instant now);

  /**
   * Why the pending rollout {@code rollout}, created at {@code createdAt}, may not begin now (a
   * concurrency limit's slots are taken); empty when it may. Called in the tick's transaction.
   */
  default Optional<String> notYet(UUID rollout, PlanSpec plan, Instant createdAt) {
    return Optional.empty();
  }
}
