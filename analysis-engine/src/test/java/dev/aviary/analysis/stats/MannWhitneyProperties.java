package dev.aviary.analysis.stats;

import static dev.aviary.analysis.stats.MannWhitneyTest.assertRelative;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.testing.Gen;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The fast implementation against the slow references, over seeded generated samples. */
class MannWhitneyProperties {

  static Stream<Long> seeds300() {
    return Gen.seeds(300);
  }

  static Stream<Long> seeds200() {
    return Gen.seeds(200);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds300")
  void pValueEqualsTheReferenceOnDataWithTies(long seed) {
    Gen gen = new Gen(seed);
    double[] canary = tiedSample(gen);
    double[] baseline = tiedSample(gen);
    double expected = ReferenceWilcoxon.pValue(canary, baseline, true);
    double actual = MannWhitney.test(canary, baseline, 0.98, true).pValue();
    if (Double.isNaN(expected)) {
      assertThat(actual).isEqualTo(1.0); // every observation tied: no evidence at all
    } else {
      assertRelative(actual, expected);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds300")
  void pValueEqualsCommonsMathOnTieFreeDataWithoutContinuityCorrection(long seed) {
    Gen gen = new Gen(seed);
    int n = gen.size(2, 120);
    Set<Double> unique = new LinkedHashSet<>();
    while (unique.size() < n) {
      unique.add(gen.uniform(-1e6, 1e6));
    }
    double[] values = unique.stream().mapToDouble(Double::doubleValue).toArray();
    int split = gen.between(1, values.length - 1);
    double[] canary = Arrays.copyOfRange(values, 0, split);
    double[] baseline = Arrays.copyOfRange(values, split, values.length);
    double expected = new MannWhitneyUTest().mannWhitneyUTest(canary, baseline);
    assertRelative(MannWhitney.test(canary, baseline, 0.98, false).pValue(), expected);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds300")
  void estimateEqualsTheBruteForceMedianOfPairwiseDifferences(long seed) {
    Gen gen = new Gen(seed);
    double[] canary = tiedSample(gen);
    double[] baseline = wideSample(gen);
    assertThat(MannWhitney.test(canary, baseline, 0.98, true).estimate())
        .isEqualTo(ReferenceWilcoxon.hodgesLehmann(canary, baseline));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds300")
  void everyOrderStatisticOfPairwiseDifferencesIsExact(long seed) {
    Gen gen = new Gen(seed);
    double[] xs = wideSample(gen);
    double[] ys = tiedSample(gen);
    Arrays.sort(xs);
    Arrays.sort(ys);
    double[] all = new double[xs.length * ys.length];
    int k = 0;
    for (double a : xs) {
      for (double b : ys) {
        all[k++] = a - b;
      }
    }
    Arrays.sort(all);
    for (int rank = 1; rank <= all.length; rank += Math.max(1, all.length / 7)) {
      assertThat(PairwiseDifferences.kth(xs, ys, rank)).isEqualTo(all[rank - 1]);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds200")
  void intervalContainsTheEstimateAndWidensWithConfidence(long seed) {
    Gen gen = new Gen(seed);
    double[] canary = wideSample(gen);
    double[] baseline = wideSample(gen);
    MannWhitneyResult narrow = MannWhitney.test(canary, baseline, 0.80, true);
    MannWhitneyResult wide = MannWhitney.test(canary, baseline, 0.99, true);
    double slack = 1e-9 * (1 + Math.abs(narrow.estimate()));
    assertThat(narrow.lowerBound()).isLessThanOrEqualTo(narrow.estimate() + slack);
    assertThat(narrow.upperBound()).isGreaterThanOrEqualTo(narrow.estimate() - slack);
    assertThat(wide.lowerBound()).isLessThanOrEqualTo(narrow.lowerBound() + slack);
    assertThat(wide.upperBound()).isGreaterThanOrEqualTo(narrow.upperBound() - slack);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds300")
  void intervalBoundsAreWhereTheReferenceStatisticCrossesTheQuantile(long seed) {
    // Integer data: pairwise differences are whole numbers, so the statistic is constant on each
    // open unit interval and +-0.5 around a bound lands on either side of its jump.
    Gen gen = new Gen(seed);
    double[] canary = tiedSample(gen);
    double[] baseline = tiedSample(gen);
    double confidence = 0.9;
    double zq =
        new org.apache.commons.math3.distribution.NormalDistribution()
            .inverseCumulativeProbability(1 - (1 - confidence) / 2);
    MannWhitneyResult r = MannWhitney.test(canary, baseline, confidence, true);
    double muMin =
        Arrays.stream(canary).min().orElseThrow() - Arrays.stream(baseline).max().orElseThrow();
    double muMax =
        Arrays.stream(canary).max().orElseThrow() - Arrays.stream(baseline).min().orElseThrow();
    if (muMin == muMax) {
      // every difference is the same shift: the interval holds it (unbounded when the samples
      // are too small for the confidence level)
      assertThat(r.estimate()).isEqualTo(muMin);
      assertThat(r.lowerBound()).isLessThanOrEqualTo(muMin);
      assertThat(r.upperBound()).isGreaterThanOrEqualTo(muMin);
      return;
    }
    if (r.lowerBound() > muMin) {
      assertThat(ReferenceWilcoxon.statistic(canary, baseline, r.lowerBound() - 0.5, true))
          .isGreaterThan(zq);
      assertThat(ReferenceWilcoxon.statistic(canary, baseline, r.lowerBound() + 0.5, true))
          .isLessThanOrEqualTo(zq);
    }
    if (r.upperBound() < muMax) {
      assertThat(ReferenceWilcoxon.statistic(canary, baseline, r.upperBound() - 0.5, true))
          .isGreaterThan(-zq);
      assertThat(ReferenceWilcoxon.statistic(canary, baseline, r.upperBound() + 0.5, true))
          .isLessThanOrEqualTo(-zq);
    }
  }

  private static double[] tiedSample(Gen gen) {
    return gen.doubles(1, 40, () -> (double) gen.between(0, 6));
  }

  private static double[] wideSample(Gen gen) {
    return gen.doubles(1, 60, () -> gen.between(-1000.0, 1000.0, 3));
  }
}
