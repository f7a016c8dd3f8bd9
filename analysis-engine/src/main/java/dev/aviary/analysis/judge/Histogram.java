package dev.aviary.analysis.judge;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A latency histogram of one window for both sides, as Prometheus keeps it: per upper bound of a
 * bucket ({@code le}), how many events took at most that long. The last bound may be {@code +Inf},
 * whose count is all events.
 *
 * @param bounds the upper bounds, strictly increasing
 * @param canary the canary's cumulative counts per bound, non-decreasing
 * @param baseline the baseline's cumulative counts per bound, non-decreasing
 */
// arrays, not lists, as judges work on primitive doubles; copied in and out, compared by content
@SuppressWarnings("ArrayRecordComponent")
public record Histogram(double[] bounds, double[] canary, double[] baseline) {

  public Histogram {
    bounds = Objects.requireNonNull(bounds, "bounds").clone();
    canary = Objects.requireNonNull(canary, "canary").clone();
    baseline = Objects.requireNonNull(baseline, "baseline").clone();
  }

  @Override
  public double[] bounds() {
    return bounds.clone();
  }

  @Override
  public double[] canary() {
    return canary.clone();
  }

  @Override
  public double[] baseline() {
    return baseline.clone();
  }

  /** What makes this histogram impossible, or null when it is sound. */
  public @Nullable String problem() {
    if (bounds.length == 0) {
      return "a histogram needs at least one bucket";
    }
    if (canary.length != bounds.length || baseline.length != bounds.length) {
      return "a histogram needs one count per bound on each side";
    }
    for (int i = 0; i < bounds.length; i++) {
      if (Double.isNaN(bounds[i]) || (i > 0 && !(bounds[i] > bounds[i - 1]))) {
        return "bucket bounds must be numbers in increasing order";
      }
      for (double[] side : new double[][] {canary, baseline}) {
        if (!Double.isFinite(side[i]) || side[i] < 0) {
          return "bucket counts must be finite and not negative";
        }
        if (i > 0 && side[i] < side[i - 1] - 1e-9) {
          return "bucket counts are cumulative and must not decrease";
        }
      }
    }
    return null;
  }

  /** All the canary's events: the count of its last bucket. */
  public double canaryTotal() {
    return canary[canary.length - 1];
  }

  /** All the baseline's events. */
  public double baselineTotal() {
    return baseline[baseline.length - 1];
  }

  /** The counts of events slower than {@code bounds[i]}: those are the bad ones at that bound. */
  public Counts slowerThan(int i) {
    return new Counts(
        Math.max(0, canaryTotal() - canary[i]),
        canaryTotal(),
        Math.max(0, baselineTotal() - baseline[i]),
        baselineTotal());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Histogram h
        && Arrays.equals(bounds, h.bounds)
        && Arrays.equals(canary, h.canary)
        && Arrays.equals(baseline, h.baseline);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        Arrays.hashCode(bounds), Arrays.hashCode(canary), Arrays.hashCode(baseline));
  }

  @Override
  public String toString() {
    return "Histogram[" + bounds.length + " buckets]";
  }
}
