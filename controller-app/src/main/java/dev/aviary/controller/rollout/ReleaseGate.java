package dev.aviary.controller.rollout;

import dev.aviary.controller.plan.PlanSpec;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a plan's rollouts may raise traffic now: not during a freeze that covers the plan, not
 * outside the plan's release windows. A held rollout keeps its weight and is still judged (and
 * rolled back on bad metrics).
 */
@FunctionalInterface
interface ReleaseGate {

  /** A gate that never holds. */
  ReleaseGate OPEN = (plan, now) -> Optional.empty();

  /** Why {@code plan}'s rollouts may not raise traffic at {@code now}; empty when they may. */
  Optional<String> closed(PlanSpec plan, Instant now);
}
