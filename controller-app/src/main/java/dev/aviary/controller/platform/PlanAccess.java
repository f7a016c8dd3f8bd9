package dev.aviary.controller.platform;

import java.util.Optional;
import java.util.Set;

/** Which plans the current caller may start and read rollouts of (pipeline tokens' scopes). */
public interface PlanAccess {

  /**
   * Passes when the caller may act on rollouts of {@code plan}.
   *
   * @throws dev.aviary.controller.platform.ForbiddenException when it may not
   */
  void check(String plan);

  /** The plan names the caller is limited to, or empty when it sees every plan. */
  Optional<Set<String>> visiblePlans();
}
