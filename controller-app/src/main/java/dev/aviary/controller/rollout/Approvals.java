package dev.aviary.controller.rollout;

import dev.aviary.controller.plan.Step;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Who may answer an approval step: the step's roles, its approvers, and the four-eyes rule. */
final class Approvals {

  private Approvals() {}

  /**
   * Why {@code actor}, holding {@code roles} (widened by the hierarchy), may not answer {@code
   * step} of a rollout {@code starter} started; empty when they may.
   */
  static Optional<String> refusal(
      Step.Approval step, String actor, Set<String> roles, String starter) {
    if (step.excludeStarter() && actor.equals(starter)) {
      return Optional.of(
          actor + " started this rollout, and the step asks for someone else's approval");
    }
    if (!step.approvers().isEmpty() && !step.approvers().contains(actor)) {
      return Optional.of(
          actor + " is not among the step's approvers " + String.join(", ", step.approvers()));
    }
    if (step.roles().stream().noneMatch(roles::contains)) {
      return Optional.of(
          actor
              + " holds "
              + (roles.isEmpty() ? "no role" : String.join(", ", new TreeSet<>(roles)))
              + ", and answering needs "
              + String.join(" or ", new TreeSet<>(step.roles())));
    }
    return Optional.empty();
  }
}
