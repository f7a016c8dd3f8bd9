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
 * <p>Where the confidence level cannot be reached at all (too few points: even complete separation
 * stays inside the quantile), the interval is unbounded on that side, so that too few points never
 * look significant. R clips it to the ends of its search range instead.
 *
 * <p>Everything runs in O((m + n) log(m + n)) time after sorting.
 */
public final class MannWhitney {

  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);

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
    double[] bounds = interval(xs, ys, zq, continuityCorrection, estimate);
    double lower = bounds[0];
    double upper = bounds[1];
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
      long t = (long) xTies + yTies;
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
   * The confidence interval {@code {d : |z(d)| <= zq}} of the shift, as R finds it by root-finding
   * on the same statistic, but in closed form.
   *
   * <p>Between two neighbouring distinct pairwise differences the statistic is constant: W(d) is
   * A(d) = #{differences > d}, and the variance holds only the ties within each sample (sigma0),
   * since ties across the samples happen only exactly at a difference. So z(d) > zq exactly when
   * A(d) > mn/2 + c + zq*sigma0 (c = 0.5 with the continuity correction), and the lower bound is
   * the order statistic of the differences where that stops holding; the upper bound mirrors it.
   * Each bound is therefore an exact pairwise difference (R's uniroot stops within 1e-4 of it),
   * found by one selection. Where the level cannot be reached even at the extremes, the interval is
   * unbounded on that side, so that too few points never look significant (R clips to the ends of
   * its search range, which can make two points a side look significant).
   */
  private static double[] interval(
      double[] xs, double[] ys, double zq, boolean correct, double estimate) {
    long mn = (long) xs.length * ys.length;
    double n = xs.length + ys.length;
    double ties = tieTerm(xs) + tieTerm(ys);
    double sigma0 = Math.sqrt((mn / 12.0) * ((n + 1) - ties / (n * (n - 1))));
    if (sigma0 == 0) {
      return new double[] {estimate, estimate}; // each sample constant: the shift is exact
    }
    double c = correct ? 0.5 : 0;
    double aCritical = mn / 2.0 + c + zq * sigma0;
    double bCritical = mn / 2.0 - c - zq * sigma0;
    double flooredA = Math.floor(aCritical);
    double ceiledB = Math.ceil(bCritical);
    double lower =
        flooredA >= mn
            ? Double.NEGATIVE_INFINITY
            : PairwiseDifferences.kth(xs, ys, mn - (long) flooredA);
    double upper =
        ceiledB < 1
            ? Double.POSITIVE_INFINITY
            : PairwiseDifferences.kth(xs, ys, mn - (long) ceiledB + 1);
    return new double[] {lower, upper};
  }

  /** Sum of t^3 - t over the groups of equal values in a sorted sample. */
  private static double tieTerm(double[] sorted) {
    double sum = 0;
    int i = 0;
    while (i < sorted.length) {
      int j = i;
      while (j < sorted.length && sorted[j] == sorted[i]) {
        j++;
      }
      double t = j - i;
      sum += t * t * t - t;
      i = j;
    }
    return sum;
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
