package dev.aviary.controller.plan;

import java.util.Optional;

/**
 * Lets other features veto deleting a plan they still use (a rollout in progress, say) without the
 * plan feature depending on them.
 */
public interface PlanDeletionGuard {

  /** Why {@code plan} must not be deleted now, or empty. */
  Optional<String> objection(String plan);
}
