package dev.aviary.analysis.stats;

import java.util.SplittableRandom;

/**
 * Order statistics of the m x n pairwise differences {@code x[i] - y[j]} without materialising
 * them: a randomized selection over the implicitly sorted rows (in the manner of Monahan's
 * Hodges-Lehmann algorithm), expected O((m + n) log(mn)) time and O(m) memory.
 */
public final class PairwiseDifferences {

  private PairwiseDifferences() {}

  /**
   * The Hodges-Lehmann estimate of the shift between {@code xs} and {@code ys}: the median of all
   * pairwise differences.
   *
   * @param xs sorted ascending, non-empty
   * @param ys sorted ascending, non-empty
   */
  public static double median(double[] xs, double[] ys) {
    long total = (long) xs.length * ys.length;
    if (total % 2 == 1) {
      return kth(xs, ys, total / 2 + 1);
    }
    long k = total / 2;
    double low = kth(xs, ys, k);
    long[] counts = new long[xs.length];
    double high = countRows(xs, ys, low, true, counts) > k ? low : smallestAbove(xs, ys, low);
    return (low + high) / 2;
  }

  /** The smallest pairwise difference strictly greater than {@code v}, in one sweep. */
  static double smallestAbove(double[] xs, double[] ys, double v) {
    int n = ys.length;
    double best = Double.POSITIVE_INFINITY;
    // For row i, the differences above v are x[i] - y[j] for j < first(j: x[i] - y[j] <= v); the
    // smallest of them is at j = first - 1. That first index only moves right as i grows.
    int first = 0;
    for (double x : xs) {
      while (first < n && x - ys[first] > v) {
        first++;
      }
      if (first > 0) {
        best = Math.min(best, x - ys[first - 1]);
      }
    }
    return best;
  }

  /**
   * The k-th smallest (1-based) of the pairwise differences.
   *
   * @param xs sorted ascending, non-empty
   * @param ys sorted ascending, non-empty
   */
  public static double kth(double[] xs, double[] ys, long k) {
    int m = xs.length;
    int n = ys.length;
    if (k < 1 || k > (long) m * n) {
      throw new IllegalArgumentException("k out of range: " + k);
    }
    // Row i, read left to right, is x[i] - y[n-1], x[i] - y[n-2], ... (ascending).
    // Active candidates of row i are its columns [lo[i], hi[i]).
    int[] lo = new int[m];
    int[] hi = new int[m];
    java.util.Arrays.fill(hi, n);
    long[] atMost = new long[m];
    long[] below = new long[m];
    // Seeded: the answer never depends on the pivots chosen, only the number of passes does.
    SplittableRandom random = new SplittableRandom(0x5EEDL ^ k);
    while (true) {
      long active = 0;
      for (int i = 0; i < m; i++) {
        active += hi[i] - lo[i];
      }
      double pivot = pickActive(xs, ys, lo, hi, active, random);
      long[] totals = countBoth(xs, ys, pivot, below, atMost);
      long countBelow = totals[0];
      long countAtMost = totals[1];
      if (countBelow < k && k <= countAtMost) {
        return pivot;
      }
      if (k <= countBelow) {
        for (int i = 0; i < m; i++) {
          hi[i] = (int) Math.min(hi[i], below[i]);
        }
      } else {
        for (int i = 0; i < m; i++) {
          lo[i] = (int) Math.max(lo[i], atMost[i]);
        }
      }
    }
  }

  /**
   * Per row, how many differences are below {@code pivot} and how many at most {@code pivot}, in
   * one sweep with two pointers; returns both sums.
   */
  private static long[] countBoth(
      double[] xs, double[] ys, double pivot, long[] belowPerRow, long[] atMostPerRow) {
    int n = ys.length;
    long below = 0;
    long atMost = 0;
    int firstAtMost = 0;
    int firstBelow = 0;
    for (int i = 0; i < xs.length; i++) {
      double x = xs[i];
      while (firstAtMost < n && x - ys[firstAtMost] > pivot) {
        firstAtMost++;
      }
      if (firstBelow < firstAtMost) {
        firstBelow = firstAtMost;
      }
      while (firstBelow < n && x - ys[firstBelow] >= pivot) {
        firstBelow++;
      }
      atMostPerRow[i] = (long) n - firstAtMost;
      belowPerRow[i] = (long) n - firstBelow;
      atMost += (long) n - firstAtMost;
      below += (long) n - firstBelow;
    }
    return new long[] {below, atMost};
  }

  private static double pickActive(
      double[] xs, double[] ys, int[] lo, int[] hi, long active, SplittableRandom random) {
    long target = random.nextLong(active);
    int n = ys.length;
    for (int i = 0; i < xs.length; i++) {
      long width = (long) hi[i] - lo[i];
      if (target < width) {
        int column = lo[i] + (int) target;
        return xs[i] - ys[n - 1 - column];
      }
      target -= width;
    }
    throw new IllegalStateException("no active candidate left");
  }

  /**
   * Per row, how many differences are {@code <= pivot} (or {@code < pivot}); returns the sum.
   * Because x ascends, the count per row never grows with i, so one pointer sweeps y once.
   */
  private static long countRows(
      double[] xs, double[] ys, double pivot, boolean inclusive, long[] perRow) {
    int n = ys.length;
    long sum = 0;
    // For row i count j with x[i] - y[j] <= pivot, i.e. y[j] >= x[i] - pivot. The number of such
    // j is n - first(j: y[j] >= x[i] - pivot); that first index only moves right as i grows.
    int first = 0;
    for (int i = 0; i < xs.length; i++) {
      while (first < n && (inclusive ? xs[i] - ys[first] > pivot : xs[i] - ys[first] >= pivot)) {
        first++;
      }
      perRow[i] = (long) n - first;
      sum += (long) n - first;
    }
    return sum;
  }
}
