package dev.aviary.analysis.judge;

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
    double[] all = {canaryBad, canaryTotal, baselineBad, baselineTotal};
    for (double v : all) {
      if (!Double.isFinite(v) || v < 0) {
        return "counts must be finite and not negative";
      }
    }
    if (canaryBad > canaryTotal * (1 + 1e-9) + 1e-9
        || baselineBad > baselineTotal * (1 + 1e-9) + 1e-9) {
      return "bad events exceed all events";
    }
    return null;
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
