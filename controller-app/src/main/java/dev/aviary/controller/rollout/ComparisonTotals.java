package dev.aviary.controller.rollout;

import dev.aviary.parallelrun.tally.ComparisonSummary;
import dev.aviary.parallelrun.tally.NoiseThresholds;
import java.time.Instant;
import java.util.UUID;

/**
 * The comparisons reported for a rollout, added up: what a parallel-run step is judged on. The
 * parallel-run feature implements it over its stored reports.
 */
public interface ComparisonTotals {

  /**
   * Every comparison of {@code rollout} reported at or after {@code from}, read with {@code noise}.
   */
  ComparisonSummary since(UUID rollout, Instant from, NoiseThresholds noise);
}
