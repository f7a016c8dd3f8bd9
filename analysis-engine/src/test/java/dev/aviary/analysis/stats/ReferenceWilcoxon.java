package dev.aviary.analysis.stats;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * A slow, obviously-correct transcription of R's {@code wilcox.test(x, y, exact = FALSE, correct =
 * TRUE)} for the tests: average ranks of the pooled sample, W as the rank sum of x less its
 * minimum, the tie-corrected variance, the continuity correction. It shares no code with {@link
 * MannWhitney}.
 */
final class ReferenceWilcoxon {

  private ReferenceWilcoxon() {}

  static double statistic(double[] x, double[] y, double shift, boolean correct) {
    int nx = x.length;
    int ny = y.length;
    double[] pooled = new double[nx + ny];
    for (int i = 0; i < nx; i++) {
      pooled[i] = x[i] - shift;
    }
    System.arraycopy(y, 0, pooled, nx, ny);
    double[] sorted = pooled.clone();
    Arrays.sort(sorted);
    Map<Double, Double> averageRank = new HashMap<>();
    Map<Double, Integer> tieCount = new HashMap<>();
    int i = 0;
    while (i < sorted.length) {
      int j = i;
      while (j < sorted.length && sorted[j] == sorted[i]) {
        j++;
      }
      averageRank.put(sorted[i], (i + 1 + j) / 2.0);
      tieCount.put(sorted[i], j - i);
      i = j;
    }
    double rankSumX = 0;
    for (int k = 0; k < nx; k++) {
      rankSumX += averageRank.get(pooled[k]);
    }
    double w = rankSumX - nx * (nx + 1) / 2.0;
    double tieSum = 0;
    for (int t : tieCount.values()) {
      tieSum += Math.pow(t, 3) - t;
    }
    double n = nx + ny;
    double z = w - nx * (double) ny / 2;
    double sigma = Math.sqrt((nx * (double) ny / 12) * ((n + 1) - tieSum / (n * (n - 1))));
    double correction = correct ? Math.signum(z) * 0.5 : 0;
    return (z - correction) / sigma;
  }

  static double pValue(double[] x, double[] y, boolean correct) {
    double z = statistic(x, y, 0, correct);
    NormalDistribution normal = new NormalDistribution(0, 1);
    return 2 * Math.min(normal.cumulativeProbability(z), 1 - normal.cumulativeProbability(z));
  }

  /** The median of all m x n pairwise differences, by listing and sorting them. */
  static double hodgesLehmann(double[] x, double[] y) {
    double[] diffs = new double[x.length * y.length];
    int k = 0;
    for (double a : x) {
      for (double b : y) {
        diffs[k++] = a - b;
      }
    }
    Arrays.sort(diffs);
    int n = diffs.length;
    return n % 2 == 1 ? diffs[n / 2] : (diffs[n / 2 - 1] + diffs[n / 2]) / 2;
  }
}
