/**
 * Parallel runs: stores what comparing proxies and in-process experiments report, attributes it to
 * the plan's running rollout, adds it up for the parallel-run gate ({@link
 * dev.aviary.controller.rollout.ComparisonTotals}) and for the {@code parallel-run} metric
 * provider. Its {@code web} part serves {@code POST /api/v1/plans/{name}/comparisons} and {@code
 * GET /api/v1/rollouts/{id}/comparisons}.
 */
@ApplicationModule(
    displayName = "Parallel runs",
    allowedDependencies = {"platform", "platform :: web", "rollout"})
@NullMarked
package dev.aviary.controller.parallelrun;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
