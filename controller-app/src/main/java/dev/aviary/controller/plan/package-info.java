/**
 * Plans: reusable definitions of how a service is released. Exposes {@link
 * dev.aviary.controller.plan.PlanService} (create, read, list, replace, delete, with revisions),
 * the validated {@link dev.aviary.controller.plan.PlanSpec} and its parts, the canonical {@link
 * dev.aviary.controller.plan.PlanDocument}, and the step kinds ({@link
 * dev.aviary.controller.plan.StepHandlers}). Its {@code web} part serves {@code /api/v1/plans}.
 */
@ApplicationModule(
    displayName = "Plans",
    allowedDependencies = {"platform", "platform :: web", "platform :: secrets", "routing"})
@NullMarked
package dev.aviary.controller.plan;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
