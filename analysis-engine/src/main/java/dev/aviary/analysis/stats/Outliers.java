package dev.aviary.analysis.stats;

import java.util.Arrays;

/**
 * Interquartile-range outlier removal, as Kayenta's {@code IQRDetector} with reduced sensitivity:
 * values outside {@code [min(P1, Q1 - k*IQR), max(P99, Q3 + k*IQR)]} are dropped. Widening the
 * fences to the 1st and 99th percentiles keeps a zero-heavy series from losing all its non-zero
 * values (kayenta#619).
 */
public final class Outliers {

  private Outliers() {}

  /** The values of {@code values} that lie within the fences for factor {@code k}. */
  public static double[] removeIqr(double[] values, double k) {
    if (values.length < 3) {
      return values.clone();
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double q1 = Quantiles.ofSorted(sorted, 0.25);
    double q3 = Quantiles.ofSorted(sorted, 0.75);
    double iqr = q3 - q1;
    double lowerFence = Math.min(Quantiles.ofSorted(sorted, 0.01), q1 - k * iqr);
    double upperFence = Math.max(Quantiles.ofSorted(sorted, 0.99), q3 + k * iqr);
    return Arrays.stream(values).filter(v -> v >= lowerFence && v <= upperFence).toArray();
  }
}
