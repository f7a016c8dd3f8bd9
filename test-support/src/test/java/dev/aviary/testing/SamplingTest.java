package dev.aviary.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The simulated worlds' draws have the moments their distributions promise: mean and variance
 * within five standard errors over 200,000 seeded draws.
 */
class SamplingTest {

  private static final int DRAWS = 200_000;

  private static void hasMoments(
      ToDoubleFunction<SplittableRandom> draw, double mean, double variance, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double sum = 0;
    double sumSquares = 0;
    for (int i = 0; i < DRAWS; i++) {
      double x = draw.applyAsDouble(random);
      sum += x;
      sumSquares += x * x;
    }
    double m = sum / DRAWS;
    double v = sumSquares / DRAWS - m * m;
    assertThat(m).isCloseTo(mean, within(5 * Math.sqrt(variance / DRAWS) + 1e-12));
    // the variance of a sample variance is about 2v²/n for these near-normal shapes (and
    // somewhat more for skewed ones): a generous band still catches a wrong spread
    assertThat(v).isCloseTo(variance, within(10 * variance * Math.sqrt(2.0 / DRAWS) + 1e-12));
  }

  @ParameterizedTest
  @CsvSource({"0.5", "3", "9.9", "10", "37", "480", "5000"})
  void poissonDrawsHaveMeanAndVarianceMu(double mu) {
    hasMoments(r -> Sampling.poisson(r, mu), mu, mu, 7);
  }

  @ParameterizedTest
  @CsvSource({"50, 0.01", "1000, 0.01", "1000, 0.5", "20, 0.9"})
  void binomialDrawsHaveMeanNpAndVarianceNpq(int n, double p) {
    hasMoments(r -> Sampling.binomial(r, n, p), n * p, n * p * (1 - p), 8);
  }

  @org.junit.jupiter.api.Test
  void aBinomialDrawNeverExceedsItsTrials() {
    SplittableRandom random = new SplittableRandom(10);
    for (double p : new double[] {1e-15, 1e-9, 1e-4, 0.3}) {
      for (int i = 0; i < 100_000; i++) {
        assertThat(Sampling.binomial(random, 50, p)).isBetween(0, 50);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"0.5", "1", "4", "40"})
  void gammaDrawsHaveMeanOneAndVarianceOneOverShape(double shape) {
    hasMoments(r -> Sampling.gamma(r, shape), 1, 1 / shape, 9);
  }
}
