/**
 * An admin's release policy: freezes — plans (every plan, or those carrying some labels) may not
 * raise traffic from one instant to another, with a reason ({@link
 * dev.aviary.controller.freeze.Freezes}) — and concurrency limits — at most so many rollouts at
 * once of the plans carrying some labels ({@link dev.aviary.controller.freeze.ConcurrencyLimits}).
 * Rollouts ask it whether they may begin and raise traffic. Its {@code web} part serves {@code
 * /api/v1/freezes} and {@code /api/v1/concurrency-limits}.
 */
@ApplicationModule(
    displayName = "Freezes",
    allowedDependencies = {"platform", "platform :: web"})
@NullMarked
package dev.aviary.controller.freeze;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
