package dev.aviary.analysis.stats;

import static dev.aviary.analysis.stats.MannWhitneyTest.assertRelative;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

/** The fast implementation against the slow references, over generated samples. */
class MannWhitneyProperties {

  @Property(tries = 300)
  void pValueEqualsTheReferenceOnDataWithTies(
      @ForAll("tiedSample") double[] canary, @ForAll("tiedSample") double[] baseline) {
    double expected = ReferenceWilcoxon.pValue(canary, baseline, true);
    double actual = MannWhitney.test(canary, baseline, 0.98, true).pValue();
    if (Double.isNaN(expected)) {
      assertThat(actual).isEqualTo(1.0); // every observation tied: no evidence at all
    } else {
      assertRelative(actual, expected);
    }
  }

  @Property(tries = 300)
  void pValueEqualsCommonsMathOnTieFreeDataWithoutContinuityCorrection(
      @ForAll("tieFreePair") List<double[]> pair) {
    double[] canary = pair.get(0);
    double[] baseline = pair.get(1);
    double expected = new MannWhitneyUTest().mannWhitneyUTest(canary, baseline);
    assertRelative(MannWhitney.test(canary, baseline, 0.98, false).pValue(), expected);
  }

  @Property(tries = 300)
  void estimateEqualsTheBruteForceMedianOfPairwiseDifferences(
      @ForAll("tiedSample") double[] canary, @ForAll("wideSample") double[] baseline) {
    assertThat(MannWhitney.test(canary, baseline, 0.98, true).estimate())
        .isEqualTo(ReferenceWilcoxon.hodgesLehmann(canary, baseline));
  }

  @Property(tries = 300)
  void everyOrderStatisticOfPairwiseDifferencesIsExact(
      @ForAll("wideSample") double[] x, @ForAll("tiedSample") double[] y) {
    double[] xs = x.clone();
    double[] ys = y.clone();
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

  @Property(tries = 200)
  void intervalContainsTheEstimateAndWidensWithConfidence(
      @ForAll("wideSample") double[] canary, @ForAll("wideSample") double[] baseline) {
    MannWhitneyResult narrow = MannWhitney.test(canary, baseline, 0.80, true);
    MannWhitneyResult wide = MannWhitney.test(canary, baseline, 0.99, true);
    double slack = 1e-9 * (1 + Math.abs(narrow.estimate()));
    assertThat(narrow.lowerBound()).isLessThanOrEqualTo(narrow.estimate() + slack);
    assertThat(narrow.upperBound()).isGreaterThanOrEqualTo(narrow.estimate() - slack);
    assertThat(wide.lowerBound()).isLessThanOrEqualTo(narrow.lowerBound() + slack);
    assertThat(wide.upperBound()).isGreaterThanOrEqualTo(narrow.upperBound() - slack);
  }

  @Property(tries = 300)
  void intervalBoundsAreWhereTheReferenceStatisticCrossesTheQuantile(
      @ForAll("tiedSample") double[] canary, @ForAll("tiedSample") double[] baseline) {
    // Integer data: pairwise differences are whole numbers, so the statistic is constant on each
    // open unit interval and +-0.5 around a bound lands on either side of its jump.
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
      return; // every observation tied at one shift: the interval collapses onto it by definition
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

  @Provide
  Arbitrary<double[]> tiedSample() {
    return Arbitraries.integers()
        .between(0, 6)
        .map(i -> (double) i)
        .array(double[].class)
        .ofMinSize(1)
        .ofMaxSize(40);
  }

  @Provide
  Arbitrary<double[]> wideSample() {
    return Arbitraries.doubles()
        .between(-1000, 1000)
        .ofScale(3)
        .array(double[].class)
        .ofMinSize(1)
        .ofMaxSize(60);
  }

  @Provide
  Arbitrary<List<double[]>> tieFreePair() {
    return Arbitraries.doubles()
        .between(-1e6, 1e6)
        .list()
        .uniqueElements()
        .ofMinSize(2)
        .ofMaxSize(120)
        .flatMap(
            values ->
                Arbitraries.integers()
                    .between(1, values.size() - 1)
                    .map(
                        split ->
                            List.of(
                                values.subList(0, split).stream()
                                    .mapToDouble(Double::doubleValue)
                                    .toArray(),
                                values.subList(split, values.size()).stream()
                                    .mapToDouble(Double::doubleValue)
                                    .toArray())));
  }
}
