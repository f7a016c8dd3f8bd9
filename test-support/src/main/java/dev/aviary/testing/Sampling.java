package dev.aviary.testing;

import java.util.SplittableRandom;

/** Draws from the distributions simulated worlds are made of, from a seeded random source. */
public final class Sampling {

  private Sampling() {}

  /** A binomial draw: successes in {@code n} trials of probability {@code p}. */
  public static int binomial(SplittableRandom random, int n, double p) {
    if (p <= 0 || n <= 0) {
      return 0;
    }
    if (p >= 1) {
      return n;
    }
    if (n * p < 30) {
      // count the geometric gaps between successes: O(successes) rather than O(n)
      double logQ = Math.log1p(-p);
      int k = 0;
      int position = 0;
      while (true) {
        position += 1 + (int) Math.floor(Math.log(1 - random.nextDouble()) / logQ);
        if (position > n) {
          return k;
        }
        k++;
      }
    }
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (random.nextDouble() < p) {
        k++;
      }
    }
    return k;
  }

  /** A Poisson draw of mean {@code mean}. */
  public static int poisson(SplittableRandom random, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 500) {
      return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
    }
    double limit = Math.exp(-mean);
    int k = 0;
    double product = random.nextDouble();
    while (product > limit) {
      k++;
      product *= random.nextDouble();
    }
    return k;
  }

  /**
   * A Gamma(shape, 1/shape) draw: mean 1, variance 1/shape (Marsaglia and Tsang, with the usual
   * boost for shapes below 1).
   */
  public static double gamma(SplittableRandom random, double shape) {
    if (shape < 1) {
      double u = random.nextDouble();
      return gamma(random, shape + 1) * Math.pow(u, 1 / shape) * (shape + 1) / shape;
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = random.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v / shape;
      }
    }
  }

  /** A log-normal draw whose logarithm has mean {@code mu} and deviation {@code sigma}. */
  public static double lognormal(SplittableRandom random, double mu, double sigma) {
    return Math.exp(mu + sigma * random.nextGaussian());
  }
}
