package dev.aviary.analysis.judge.mannwhitney;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.analysis.judge.Classification;
import dev.aviary.analysis.judge.Direction;
import dev.aviary.analysis.judge.EffectSize;
import dev.aviary.analysis.judge.GroupWeights;
import dev.aviary.analysis.judge.JudgeContext;
import dev.aviary.analysis.judge.Judgement;
import dev.aviary.analysis.judge.JudgementEngine;
import dev.aviary.analysis.judge.MetricInput;
import dev.aviary.analysis.judge.MetricResult;
import dev.aviary.analysis.judge.MetricSpec;
import dev.aviary.analysis.judge.NanStrategy;
import dev.aviary.analysis.judge.Reducer;
import dev.aviary.analysis.judge.Samples;
import dev.aviary.analysis.judge.ScoreThresholds;
import dev.aviary.analysis.judge.Threshold;
import dev.aviary.analysis.judge.Verdict;
import org.junit.jupiter.api.Test;

class MannWhitneyJudgeTest {

  private final MannWhitneyJudge judge = new MannWhitneyJudge();

  private MetricResult classify(MetricSpec spec, double[] canary, double[] baseline) {
    return judge.classify(MetricInput.compared(spec, canary, baseline), JudgeContext.fresh());
  }

  @Test
  void classifiesHighWhenTheCanaryErrorRateClearlyExceedsTheBaseline() {
    MetricSpec spec = MetricSpec.named("error_rate").direction(Direction.INCREASE).build();
    MetricResult r =
        classify(spec, Samples.around(0.05, 0.005, 60, 1), Samples.around(0.01, 0.002, 60, 2));
    assertThat(r.classification()).isEqualTo(Classification.HIGH);
    assertThat(r.lowerBound()).isGreaterThan(0.25 * r.estimate());
    assertThat(r.effectSize()).isGreaterThan(3);
    assertThat(r.pValue()).isLessThan(1e-6);
    assertThat(r.reason()).contains("significantly higher").contains("98% interval");
  }

  @Test
  void passesWhenCanaryAndBaselineAreDrawnFromTheSameDistribution() {
    MetricSpec spec = MetricSpec.named("latency").build();
    MetricResult r = classify(spec, Samples.around(100, 10, 60, 3), Samples.around(100, 10, 60, 4));
    assertThat(r.classification()).isEqualTo(Classification.PASS);
    assertThat(r.reason()).startsWith("no significant difference");
  }

  @Test
  void aDecreaseOnlyMetricIgnoresAnIncrease() {
    MetricSpec spec = MetricSpec.named("throughput").direction(Direction.DECREASE).build();
    MetricResult r = classify(spec, Samples.around(200, 5, 40, 5), Samples.around(100, 5, 40, 6));
    assertThat(r.classification()).isEqualTo(Classification.PASS);
    assertThat(r.reason()).contains("only in the direction (higher) this metric ignores");
  }

  @Test
  void classifiesLowForADecreaseWhenTheDirectionAllowsIt() {
    MetricSpec spec = MetricSpec.named("throughput").direction(Direction.DECREASE).build();
    MetricResult r = classify(spec, Samples.around(50, 5, 40, 7), Samples.around(100, 5, 40, 8));
    assertThat(r.classification()).isEqualTo(Classification.LOW);
  }

  @Test
  void aSignificantIncreaseBelowTheAllowedIncreasePasses() {
    MetricSpec spec =
        MetricSpec.named("latency")
            .direction(Direction.INCREASE)
            .effectSize(new EffectSize(1.5, 1.0, 1.0, 1.0))
            .build();
    MetricResult r = classify(spec, Samples.around(110, 2, 60, 9), Samples.around(100, 2, 60, 10));
    assertThat(r.classification()).isEqualTo(Classification.PASS);
    assertThat(r.reason()).contains("within the allowed increase 1.5");
  }

  @Test
  void aCriticalMetricFailsCriticallyOnlyBeyondItsCriticalIncrease() {
    EffectSize gates = new EffectSize(1.0, 1.0, 2.0, 1.0);
    MetricSpec spec =
        MetricSpec.named("errors")
            .direction(Direction.INCREASE)
            .critical(true)
            .effectSize(gates)
            .build();
    MetricResult mild =
        classify(spec, Samples.around(130, 2, 60, 11), Samples.around(100, 2, 60, 12));
    MetricResult severe =
        classify(spec, Samples.around(300, 2, 60, 13), Samples.around(100, 2, 60, 14));
    assertThat(mild.classification()).isEqualTo(Classification.HIGH);
    assertThat(mild.criticalFailure()).isFalse();
    assertThat(severe.classification()).isEqualTo(Classification.HIGH);
    assertThat(severe.criticalFailure()).isTrue();
  }

  @Test
  void noDataWhenTheCanaryHasOnlyGaps() {
    MetricSpec spec = MetricSpec.named("latency").build();
    MetricResult r =
        classify(spec, new double[] {Double.NaN, Double.NaN}, Samples.around(100, 1, 10, 15));
    assertThat(r.classification()).isEqualTo(Classification.NODATA);
    assertThat(r.reason()).isEqualTo("the canary returned no data for this interval");
  }

  @Test
  void replaceReadsGapsAsZero() {
    MetricSpec spec = MetricSpec.named("errors").nanStrategy(NanStrategy.REPLACE).build();
    MetricResult r =
        classify(spec, new double[] {Double.NaN, Double.NaN, 0}, new double[] {0, 0, 0});
    assertThat(r.classification()).isEqualTo(Classification.PASS);
    assertThat(r.canary().count()).isEqualTo(3);
    assertThat(r.reason()).isEqualTo("canary and baseline hold the same values");
  }

  @Test
  void outlierRemovalDropsASingleSpikeBeforeTesting() {
    double[] canary = Samples.around(100, 1, 30, 16);
    canary[7] = 100_000;
    MetricSpec keep = MetricSpec.named("latency").build();
    MetricSpec remove = keep.toBuilder().outlierFactor(3.0).build();
    double[] baseline = Samples.around(100, 1, 30, 17);
    assertThat(classify(keep, canary, baseline).canary().max()).isEqualTo(100_000);
    assertThat(classify(remove, canary, baseline).canary().max()).isLessThan(102);
  }

  @Test
  void tooFewPointsNeverLookSignificant() {
    MetricSpec spec = MetricSpec.named("errors").direction(Direction.INCREASE).build();
    MetricResult r = classify(spec, new double[] {0.05, 0.04}, new double[] {0.01, 0.012});
    assertThat(r.classification()).isEqualTo(Classification.PASS);
    assertThat(r.reason())
        .contains("with 2 canary and 2 baseline points no difference can reach 98% confidence");
  }

  @Test
  void aFetchErrorIsAnErrorNotData() {
    MetricResult r =
        judge.classify(
            MetricInput.failed(MetricSpec.named("x").build(), "Prometheus is down"),
            JudgeContext.fresh());
    assertThat(r.classification()).isEqualTo(Classification.ERROR);
    assertThat(r.reason()).isEqualTo("Prometheus is down");
  }

  @Test
  void twoDifferentConstantSeriesAreJudgedWithoutRandomNoise() {
    MetricSpec spec = MetricSpec.named("errors").direction(Direction.INCREASE).build();
    MetricResult first = classify(spec, new double[] {5, 5, 5, 5}, new double[] {1, 1, 1, 1});
    MetricResult second = classify(spec, new double[] {5, 5, 5, 5}, new double[] {1, 1, 1, 1});
    assertThat(first.classification()).isEqualTo(Classification.HIGH);
    assertThat(first).isEqualTo(second);
  }

  @Test
  void sparseZeroHeavyErrorsPassTheRankTestAsInKayenta426SoPlansPairItWithAThreshold() {
    // kayenta#426: canary errors [0,1,2,1,0,0] against an all-zero baseline pass Mann-Whitney.
    // The rank test alone cannot see it with six points; a threshold on the same metric can.
    double[] canary = {0, 1, 2, 1, 0, 0};
    double[] baseline = {0, 0, 0, 0, 0, 0};
    MetricSpec compared = MetricSpec.named("errors").direction(Direction.INCREASE).build();
    assertThat(classify(compared, canary, baseline).classification())
        .isEqualTo(Classification.PASS);

    MetricSpec withThreshold =
        compared.toBuilder()
            .threshold(new Threshold(null, 0.5, Reducer.parse("max").orElseThrow()))
            .build();
    Judgement j =
        new JudgementEngine(judge)
            .judge(
                java.util.List.of(MetricInput.compared(withThreshold, canary, baseline)),
                GroupWeights.EQUAL,
                ScoreThresholds.DEFAULT);
    assertThat(j.metrics().get(0).classification()).isEqualTo(Classification.HIGH);
    assertThat(j.metrics().get(0).judge()).isEqualTo("threshold+mann-whitney");
    assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
  }
}
