/**
 * Judging a parallel run: whether the share of requests the candidate answered differently (noise
 * removed) is shown above or below the plan's limit ({@link
 * dev.aviary.analysis.parallelrun.MismatchRateGate}).
 */
@NullMarked
package dev.aviary.analysis.parallelrun;

import org.jspecify.annotations.NullMarked;
