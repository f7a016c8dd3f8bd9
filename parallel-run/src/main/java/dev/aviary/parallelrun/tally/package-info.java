/**
 * Counting comparisons ({@link dev.aviary.parallelrun.tally.Tally}), and reading counts as matches,
 * noise and mismatches ({@link dev.aviary.parallelrun.tally.ComparisonSummary}) once the noise of
 * each field path is known ({@link dev.aviary.parallelrun.tally.NoiseThresholds}).
 */
@NullMarked
package dev.aviary.parallelrun.tally;

import org.jspecify.annotations.NullMarked;
