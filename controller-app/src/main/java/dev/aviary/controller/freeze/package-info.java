/**
 * Release freezes: an admin declares that plans (every plan, or those carrying some labels) may not
 * raise traffic from one instant to another, with a reason ({@link
 * dev.aviary.controller.freeze.Freezes}). Rollouts ask it which freezes hold their plan. Its {@code
 * web} part serves {@code /api/v1/freezes}.
 */
@ApplicationModule(
    displayName = "Freezes",
    allowedDependencies = {"platform", "platform :: web"})
@NullMarked
package dev.aviary.controller.freeze;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
