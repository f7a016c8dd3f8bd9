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
      double position = 0; // a double: a tiny p makes the gaps larger than any int
      while (true) {
        position += 1 + Math.floor(Math.log(1 - random.nextDouble()) / logQ);
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

  /**
   * A Poisson draw of mean {@code mean}: by multiplication of uniforms below 10, by Hörmann's
   * transformed rejection (PTRS, 1993) above, in constant expected time.
   */
  public static int poisson(SplittableRandom random, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean < 10) {
      double limit = Math.exp(-mean);
      int k = 0;
      double product = random.nextDouble();
      while (product > limit) {
        k++;
        product *= random.nextDouble();
      }
      return k;
    }
    double slam = Math.sqrt(mean);
    double logMean = Math.log(mean);
    double b = 0.931 + 2.53 * slam;
    double a = -0.059 + 0.02483 * b;
    double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    double vr = 0.9277 - 3.6224 / (b - 2);
    while (true) {
      double u = random.nextDouble() - 0.5;
      double v = random.nextDouble();
      double us = 0.5 - Math.abs(u);
      long k = (long) Math.floor((2 * a / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) {
        return (int) k;
      }
      if (k < 0 || (us < 0.013 && v > us)) {
        continue;
      }
      if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b)
          <= -mean + k * logMean - logFactorial(k)) {
        return (int) k;
      }
    }
  }

  private static final double[] LOG_FACTORIAL = new double[256];

  static {
    for (int i = 1; i < LOG_FACTORIAL.length; i++) {
      LOG_FACTORIAL[i] = LOG_FACTORIAL[i - 1] + Math.log(i);
    }
  }

  /** log(k!), exactly from a table below 256, by Stirling's series above. */
  static double logFactorial(long k) {
    if (k < LOG_FACTORIAL.length) {
      return LOG_FACTORIAL[(int) k];
    }
    double n = k + 1.0;
    return (n - 0.5) * Math.log(n)
        - n
        + 0.5 * Math.log(2 * Math.PI)
        + 1 / (12 * n)
        - 1 / (360 * n * n * n);
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
