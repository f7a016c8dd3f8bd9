package dev.aviary.controller.rollout;

import dev.aviary.controller.plan.PlanDeletionGuard;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** A plan with an active rollout cannot be deleted. */
@Component
class RolloutPlanGuard implements PlanDeletionGuard {

  private final RolloutRepository rollouts;

  RolloutPlanGuard(RolloutRepository rollouts) {
    this.rollouts = rollouts;
  }

  @Override
  public Optional<String> objection(String plan) {
    return rollouts
        .findActive(plan)
        .map(r -> "rollout " + r.id() + " is " + r.phase() + "; abort it or let it finish first");
  }
}
