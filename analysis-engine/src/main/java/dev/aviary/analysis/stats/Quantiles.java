package dev.aviary.analysis.stats;

import java.util.Arrays;

/** Sample quantiles by linear interpolation between order statistics (R's default, type 7). */
public final class Quantiles {

  private Quantiles() {}

  /** The p-quantile of {@code values}; NaN for an empty array. */
  public static double of(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return ofSorted(sorted, p);
  }

  /** The p-quantile of an array already sorted ascending. */
  public static double ofSorted(double[] sorted, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("quantile must lie in [0, 1], was " + p);
    }
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double h = (sorted.length - 1) * p;
    int low = (int) Math.floor(h);
    int high = (int) Math.ceil(h);
    return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
  }
}
