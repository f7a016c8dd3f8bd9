package dev.aviary.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class MannWhitneyTest {

  @Test
  void standardizedStatisticMatchesRsIntermediateValuesOnHeavilyTiedData() throws IOException {
    JsonNode golden = golden();
    double[] x = sorted(golden.get("canary"));
    double[] y = sorted(golden.get("baseline"));
    JsonNode e = golden.get("expected");
    double muMin = x[0] - y[y.length - 1];
    double muMax = x[x.length - 1] - y[0];
    assertThat(muMin).isEqualTo(e.get("muMin").asDouble());
    assertThat(muMax).isEqualTo(e.get("muMax").asDouble());
    double zqLower = e.get("zqLower").asDouble();
    double zqUpper = e.get("zqUpper").asDouble();

    assertRelative(
        MannWhitney.standardizedStatistic(x, y, muMin, true) - zqLower,
        e.get("statisticAtMuMinMinusZqLower").asDouble());
    assertRelative(
        MannWhitney.standardizedStatistic(x, y, muMax, true) - zqLower,
        e.get("statisticAtMuMaxMinusZqLower").asDouble());
    assertRelative(
        MannWhitney.standardizedStatistic(x, y, muMin, true) - zqUpper,
        e.get("statisticAtMuMinMinusZqUpper").asDouble());
    assertRelative(
        MannWhitney.standardizedStatistic(x, y, muMax, true) - zqUpper,
        e.get("statisticAtMuMaxMinusZqUpper").asDouble());
  }

  @Test
  void confidenceIntervalAgreesWithRWithinItsRootFindingTolerance() throws IOException {
    JsonNode golden = golden();
    JsonNode e = golden.get("expected");
    MannWhitneyResult r =
        MannWhitney.test(
            values(golden.get("canary")),
            values(golden.get("baseline")),
            golden.get("confidence").asDouble(),
            true);
    double tolerance = e.get("uniRootTolerance").asDouble();
    assertThat(r.lowerBound()).isCloseTo(e.get("ciLower").asDouble(), within(tolerance));
    assertThat(r.upperBound()).isCloseTo(e.get("ciUpper").asDouble(), within(tolerance));
    assertThat(r.lowerBound()).isLessThanOrEqualTo(r.upperBound());
  }

  @Test
  void pValueMatchesTheReferenceOnTiedData() {
    double[] canary = {0, 0, 1, 2, 2, 2, 5, 7, 7, 9};
    double[] baseline = {0, 1, 1, 1, 2, 3, 3, 4};
    MannWhitneyResult r = MannWhitney.test(canary, baseline, 0.98, true);
    assertRelative(r.pValue(), ReferenceWilcoxon.pValue(canary, baseline, true));
    // By hand: each canary value scores the baseline values below it plus half of those equal:
    // 0,0 -> 0.5 each; 1 -> 1 + 1.5; 2,2,2 -> 4.5 each; 5 -> 8; 7,7 -> 8 each; 9 -> 8.
    assertThat(r.w()).isEqualTo(49.0);
  }

  @Test
  void pValueMatchesCommonsMathOnTieFreeDataWithoutContinuityCorrection() {
    double[] canary = {1.2, 3.4, 5.6, 7.8, 9.1, 2.3, 4.5};
    double[] baseline = {0.5, 1.1, 2.2, 3.3, 0.9, 1.7};
    double expected = new MannWhitneyUTest().mannWhitneyUTest(canary, baseline);
    assertRelative(MannWhitney.test(canary, baseline, 0.98, false).pValue(), expected);
  }

  @Test
  void estimateIsTheMedianOfAllPairwiseDifferences() {
    double[] canary = {10, 12, 13, 15, 20};
    double[] baseline = {9, 11, 11, 14};
    assertThat(MannWhitney.test(canary, baseline, 0.95, true).estimate())
        .isEqualTo(ReferenceWilcoxon.hodgesLehmann(canary, baseline));
  }

  @Test
  void intervalCoversTheEstimateAndDetectsAClearShift() {
    double[] baseline = new double[50];
    double[] canary = new double[50];
    for (int i = 0; i < 50; i++) {
      baseline[i] = 100 + (i * 37 % 50) * 0.1;
      canary[i] = 110 + (i * 13 % 50) * 0.1;
    }
    MannWhitneyResult r = MannWhitney.test(canary, baseline, 0.98, true);
    assertThat(r.lowerBound()).isLessThanOrEqualTo(r.estimate());
    assertThat(r.upperBound()).isGreaterThanOrEqualTo(r.estimate());
    assertThat(r.lowerBound()).isGreaterThan(9);
    assertThat(r.upperBound()).isLessThan(11);
    assertThat(r.pValue()).isLessThan(1e-10);
  }

  @Test
  void twoConstantSamplesGiveTheExactShiftWithoutRandomness() {
    double[] five = {5, 5, 5, 5, 5, 5};
    double[] three = {3, 3, 3, 3, 3, 3};
    MannWhitneyResult r = MannWhitney.test(five, three, 0.98, true);
    assertThat(r.estimate()).isEqualTo(2);
    assertThat(r.lowerBound()).isEqualTo(2);
    assertThat(r.upperBound()).isEqualTo(2);
    assertThat(MannWhitney.test(five, three, 0.98, true)).isEqualTo(r);
  }

  @Test
  void completeSeparationOfTooFewPointsIsNotSignificant() {
    // 3 against 4, fully separated: z = 2.245 < 2.326, so at 98% every shift is plausible.
    MannWhitneyResult r =
        MannWhitney.test(new double[] {5, 5, 5}, new double[] {3, 3, 3, 3}, 0.98, true);
    assertThat(r.pValue()).isGreaterThan(0.02);
    assertThat(r.lowerBound()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(r.upperBound()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void everyObservationTiedGivesPValueOne() {
    MannWhitneyResult r = MannWhitney.test(new double[] {4, 4}, new double[] {4, 4, 4}, 0.98, true);
    assertThat(r.pValue()).isEqualTo(1.0);
    assertThat(r.estimate()).isZero();
  }

  @Test
  void aConfidenceLevelOutOfReachGivesAnUnboundedIntervalNotRsSearchRange() {
    // Two points a side, fully separated: |z| <= 1.162 everywhere, below the 98% quantile 2.326.
    // R answers [min(x) - max(y), max(x) - min(y)] = [0.028, 0.04], which lies above zero.
    MannWhitneyResult r =
        MannWhitney.test(new double[] {0.05, 0.04}, new double[] {0.01, 0.012}, 0.98, true);
    assertThat(r.lowerBound()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(r.upperBound()).isEqualTo(Double.POSITIVE_INFINITY);
    assertRelative(
        r.pValue(),
        ReferenceWilcoxon.pValue(new double[] {0.05, 0.04}, new double[] {0.01, 0.012}, true));
    // At 70% the quantile (1.036) is within reach, and the interval is finite again.
    MannWhitneyResult reachable =
        MannWhitney.test(new double[] {0.05, 0.04}, new double[] {0.01, 0.012}, 0.70, true);
    assertThat(reachable.lowerBound()).isFinite();
  }

  @Test
  void refusesNanAndEmptySamples() {
    assertThatThrownBy(
            () -> MannWhitney.test(new double[] {1, Double.NaN}, new double[] {1}, 0.9, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> MannWhitney.test(new double[0], new double[] {1}, 0.9, true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static void assertRelative(double actual, double expected) {
    assertThat(Math.abs(actual - expected))
        .as("%s vs %s", actual, expected)
        .isLessThanOrEqualTo(1e-9 * Math.max(Math.abs(expected), Double.MIN_NORMAL));
  }

  private static JsonNode golden() throws IOException {
    try (InputStream in =
        MannWhitneyTest.class.getResourceAsStream("/golden/kayenta-tie-out.json")) {
      return JsonMapper.builder().build().readTree(in);
    }
  }

  private static double[] values(JsonNode array) {
    double[] v = new double[array.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = array.get(i).asDouble();
    }
    return v;
  }

  private static double[] sorted(JsonNode array) {
    double[] v = values(array);
    Arrays.sort(v);
    return v;
  }
}
