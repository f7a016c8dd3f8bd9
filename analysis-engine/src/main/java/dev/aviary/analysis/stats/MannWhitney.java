package dev.aviary.analysis.stats;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Two-sample Wilcoxon rank-sum (Mann-Whitney U) test, canary {@code x} against baseline {@code y}.
 *
 * <p>The p-value is that of R's {@code wilcox.test(x, y, exact = FALSE, correct = TRUE)}: the
 * normal approximation with tie correction and (optionally) a continuity correction. The confidence
 * interval for the location shift {@code x - y} is found, as R does, by inverting the same
 * standardized statistic; the point estimate is the Hodges-Lehmann estimate, the median of all
 * pairwise differences.
 *
 * <p>Everything runs in O((m + n) log(m + n)) time after sorting, so that 10 metrics of 1,000
 * points a side judge in well under a millisecond each.
 */
public final class MannWhitney {

  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);

  /** How far the shift bisection narrows, relative to the width of the search range. */
  private static final double RELATIVE_BISECTION_TOLERANCE = 1e-12;

  private MannWhitney() {}

  /**
   * Runs the test.
   *
   * @param x canary sample, at least one value, no NaN
   * @param y baseline sample, at least one value, no NaN
   * @param confidence confidence level of the interval, in (0, 1)
   * @param continuityCorrection whether to apply the +-0.5 continuity correction (R's {@code
   *     correct})
   */
  public static MannWhitneyResult test(
      double[] x, double[] y, double confidence, boolean continuityCorrection) {
    if (x.length == 0 || y.length == 0) {
      throw new IllegalArgumentException("both samples need at least one value");
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must lie in (0, 1), was " + confidence);
    }
    double[] xs = sortedFinite(x, "x");
    double[] ys = sortedFinite(y, "y");

    Statistic atZero = statistic(xs, ys, 0.0, continuityCorrection);
    double z = atZero.standardized();
    double pValue =
        Double.isNaN(z)
            ? 1.0
            : Math.min(1.0, 2 * STANDARD_NORMAL.cumulativeProbability(-Math.abs(z)));

    double estimate = PairwiseDifferences.median(xs, ys);
    double alpha = 1 - confidence;
    double zq = STANDARD_NORMAL.inverseCumulativeProbability(1 - alpha / 2);
    double lower = shiftWhereStatisticCrosses(xs, ys, zq, continuityCorrection, estimate);
    double upper = shiftWhereStatisticCrosses(xs, ys, -zq, continuityCorrection, estimate);
    return new MannWhitneyResult(atZero.w(), z, pValue, lower, upper, estimate);
  }

  /**
   * The standardized statistic {@code (W - mn/2 - correction) / sigma} of {@code x - shift} against
   * {@code y}, exactly as R's {@code wdiff} computes it (without subtracting a quantile). NaN when
   * every observation is tied.
   *
   * @param xs canary sample, sorted ascending
   * @param ys baseline sample, sorted ascending
   */
  public static double standardizedStatistic(
      double[] xs, double[] ys, double shift, boolean continuityCorrection) {
    return statistic(xs, ys, shift, continuityCorrection).standardized();
  }

  /** W (= U of the canary), and the standardized value, for {@code x - shift} against {@code y}. */
  static Statistic statistic(double[] xs, double[] ys, double shift, boolean correct) {
    int m = xs.length;
    int n = ys.length;
    // One merge pass over the two sorted samples: count how many y lie below each x (ties count
    // half), and collect the tie-group sizes of the combined sample for the variance correction.
    double u = 0;
    double tieTerm = 0;
    int i = 0;
    int j = 0;
    while (i < m || j < n) {
      double value;
      if (j >= n || (i < m && xs[i] - shift <= ys[j])) {
        value = xs[i] - shift;
      } else {
        value = ys[j];
      }
      int xTies = 0;
      while (i < m && xs[i] - shift == value) {
        xTies++;
        i++;
      }
      int yBelow = j;
      int yTies = 0;
      while (j < n && ys[j] == value) {
        yTies++;
        j++;
      }
      u += xTies * (yBelow + yTies / 2.0);
      long t = xTies + yTies;
      tieTerm += (double) t * t * t - t;
    }
    double mn = (double) m * n;
    double dz = u - mn / 2;
    double sigma =
        Math.sqrt((mn / 12) * ((m + n + 1) - tieTerm / ((double) (m + n) * (m + n - 1))));
    double correction = correct ? Math.signum(dz) * 0.5 : 0;
    double standardized = sigma == 0 ? Double.NaN : (dz - correction) / sigma;
    return new Statistic(u, standardized);
  }

  /**
   * The shift d at which the (non-increasing, step-shaped) standardized statistic of {@code x - d}
   * crosses {@code target}, found by bisection over {@code [min(x) - max(y), max(x) - min(y)]}, the
   * same range R's {@code uniroot} searches. Where every observation is tied at some shift the
   * statistic is undefined there; the interval then collapses onto that shift, the estimate.
   */
  private static double shiftWhereStatisticCrosses(
      double[] xs, double[] ys, double target, boolean correct, double estimate) {
    double lo = xs[0] - ys[ys.length - 1];
    double hi = xs[xs.length - 1] - ys[0];
    double atLo = standardizedStatistic(xs, ys, lo, correct);
    double atHi = standardizedStatistic(xs, ys, hi, correct);
    if (Double.isNaN(atLo) || Double.isNaN(atHi)) {
      return estimate;
    }
    if (atLo - target <= 0) {
      return lo;
    }
    if (atHi - target >= 0) {
      return hi;
    }
    double tolerance =
        Math.max(Math.abs(hi - lo) * RELATIVE_BISECTION_TOLERANCE, Double.MIN_NORMAL);
    while (hi - lo > tolerance) {
      double mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi) {
        break;
      }
      double value = standardizedStatistic(xs, ys, mid, correct);
      if (Double.isNaN(value)) {
        return mid;
      }
      if (value - target > 0) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    // The statistic only changes where x[i] - d meets some y[j], so the crossing sits exactly on a
    // pairwise difference inside [lo, hi]. Snapping to it makes the bound exact (R's uniroot stops
    // within 1e-4 of it) and keeps it equivariant under scaling of both samples.
    long below = PairwiseDifferences.countBelow(xs, ys, lo);
    if (below < (long) xs.length * ys.length) {
      double jump = PairwiseDifferences.kth(xs, ys, below + 1);
      if (jump <= hi) {
        return jump;
      }
    }
    return lo + (hi - lo) / 2;
  }

  private static double[] sortedFinite(double[] values, String name) {
    double[] copy = values.clone();
    for (double v : copy) {
      if (Double.isNaN(v)) {
        throw new IllegalArgumentException(name + " contains NaN; preprocess it first");
      }
    }
    Arrays.sort(copy);
    return copy;
  }

  record Statistic(double w, double standardized) {}
}
