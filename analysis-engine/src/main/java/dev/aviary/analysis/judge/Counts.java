package dev.aviary.analysis.judge;

import dev.aviary.analysis.stats.RateRatioEvidence;
import org.jspecify.annotations.Nullable;

/**
 * Exact counts of one window for both sides: the bad events (errors, slow requests) and all events
 * (requests). More bad events per event is worse.
 *
 * @param canaryBad the canary's bad events
 * @param canaryTotal all the canary's events
 * @param baselineBad the baseline's bad events
 * @param baselineTotal all the baseline's events
 */
public record Counts(
    double canaryBad, double canaryTotal, double baselineBad, double baselineTotal) {

  /** What makes these counts impossible, or null when they are sound. */
  public @Nullable String problem() {
    return new RateRatioEvidence.Poll(canaryBad, canaryTotal, baselineBad, baselineTotal).problem();
  }

  /** The canary's share of bad events; NaN without events. */
  public double canaryRate() {
    return canaryTotal > 0 ? canaryBad / canaryTotal : Double.NaN;
  }

  /** The baseline's share of bad events; NaN without events. */
  public double baselineRate() {
    return baselineTotal > 0 ? baselineBad / baselineTotal : Double.NaN;
  }
}
