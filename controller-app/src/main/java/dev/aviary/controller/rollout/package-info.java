/**
 * Rollouts: the lifecycle, the aggregate, the tick and its policies, the dispatcher. Exposes {@link
 * dev.aviary.controller.rollout.RolloutService} with its read models ({@link
 * dev.aviary.controller.rollout.RolloutView}, events, analyses) and publishes {@link
 * dev.aviary.controller.rollout.RolloutNotice}. Its {@code web} part serves {@code
 * /api/v1/rollouts}.
 */
@ApplicationModule(
    displayName = "Rollouts",
    allowedDependencies = {
      "platform",
      "platform :: web",
      "platform :: webhook",
      "plan",
      "routing",
      "analysis",
      "judgement",
      "freeze"
    })
@NullMarked
package dev.aviary.controller.rollout;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
