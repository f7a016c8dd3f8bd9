package dev.aviary.analysis.stats;

/**
 * Descriptive statistics of one sample, after preprocessing.
 *
 * @param count number of values
 * @param min smallest value (NaN when empty)
 * @param max largest value (NaN when empty)
 * @param mean arithmetic mean (NaN when empty)
 * @param stdev sample standard deviation (NaN with fewer than two values)
 */
public record Summary(int count, double min, double max, double mean, double stdev) {

  public static final Summary EMPTY =
      new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /** Summarises {@code values} in one pass (Welford). */
  public static Summary of(double[] values) {
    if (values.length == 0) {
      return EMPTY;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double mean = 0;
    double m2 = 0;
    int k = 0;
    for (double v : values) {
      k++;
      min = Math.min(min, v);
      max = Math.max(max, v);
      double delta = v - mean;
      mean += delta / k;
      m2 += delta * (v - mean);
    }
    double stdev = k > 1 ? Math.sqrt(m2 / (k - 1)) : Double.NaN;
    return new Summary(k, min, max, mean, stdev);
  }
}
