package dev.aviary.controller.rollout;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The rollouts list: one SQL statement per combination of filters, so that PostgreSQL plans each
 * with the index that fits it ({@code rollout_created_idx} for all rollouts, {@code
 * rollout_phase_created_idx} by phase, {@code rollout_plan_idx} by plan) instead of one generic
 * plan that sorts the whole table for every page.
 */
interface RolloutSearch {

  /** One page, newest first. */
  List<Rollout> search(
      RolloutFilter filter,
      Optional<? extends Collection<String>> visiblePlans,
      int limit,
      long offset);

  long countMatching(RolloutFilter filter, Optional<? extends Collection<String>> visiblePlans);
}
