package dev.aviary.analysis.judge;

import java.util.SplittableRandom;

/** Test data: noisy samples from seeded generators, so every run sees the same numbers. */
public final class Samples {

  private Samples() {}

  /** n values around {@code mean}, spread uniformly by +-{@code spread}. */
  public static double[] around(double mean, double spread, int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = mean + (random.nextDouble() * 2 - 1) * spread;
    }
    return v;
  }
}
