package dev.aviary.analysis.judge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.analysis.judge.mannwhitney.MannWhitneyJudge;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JudgementEngineTest {

  private final JudgementEngine engine = new JudgementEngine(new MannWhitneyJudge());
  private static final Threshold MAX_ONE = new Threshold(null, 1.0, Reducer.AVG);

  /** A metric the threshold judge classifies as asked: PASS, HIGH, NODATA or ERROR. */
  static MetricInput metric(String name, String group, Classification outcome, boolean critical) {
    MetricSpec spec =
        MetricSpec.named(name).group(group).critical(critical).threshold(MAX_ONE).build();
    return switch (outcome) {
      case PASS -> MetricInput.canaryOnly(spec, 0.5);
      case HIGH -> MetricInput.canaryOnly(spec, 2.0);
      case NODATA -> MetricInput.canaryOnly(spec);
      case ERROR -> MetricInput.failed(spec, "backend down");
      case LOW, UNDECIDED -> throw new IllegalArgumentException();
    };
  }

  private Judgement judge(GroupWeights weights, MetricInput... metrics) {
    return engine.judge(List.of(metrics), weights, ScoreThresholds.DEFAULT);
  }

  @Test
  void allPassingMetricsScore100AndPass() {
    Judgement j =
        judge(
            GroupWeights.EQUAL,
            metric("a", "g", Classification.PASS, false),
            metric("b", "g", Classification.PASS, false));
    assertThat(j.score()).isEqualTo(100);
    assertThat(j.verdict()).isEqualTo(Verdict.PASS);
    assertThat(j.reason()).contains("every judged metric passed");
  }

  @Test
  void groupWeightsWeighTheGroupScores() {
    Judgement j =
        judge(
            new GroupWeights(Map.of("errors", 60.0, "latency", 40.0)),
            metric("error_rate", "errors", Classification.PASS, false),
            metric("p95", "latency", Classification.HIGH, false));
    assertThat(j.groupScores()).containsEntry("errors", 100.0).containsEntry("latency", 0.0);
    assertThat(j.score()).isEqualTo(60);
    assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(j.reason()).contains("not passing: p95 HIGH");
  }

  @Test
  void aScoreBetweenTheThresholdsIsMarginal() {
    Judgement j =
        judge(
            GroupWeights.EQUAL,
            metric("a", "g", Classification.PASS, false),
            metric("b", "g", Classification.PASS, false),
            metric("c", "g", Classification.PASS, false),
            metric("d", "g", Classification.PASS, false),
            metric("e", "g", Classification.HIGH, false));
    assertThat(j.score()).isEqualTo(80);
    assertThat(j.verdict()).isEqualTo(Verdict.MARGINAL);
  }

  @Test
  void aCriticalFailureForcesTheScoreToZero() {
    Judgement j =
        judge(
            GroupWeights.EQUAL,
            metric("crashes", "g", Classification.HIGH, true),
            metric("a", "g", Classification.PASS, false),
            metric("b", "g", Classification.PASS, false));
    assertThat(j.score()).isZero();
    assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(j.reason()).startsWith("critical metric crashes failed");
  }

  @Test
  void anErrorMetricIsNeverCountedAsPassingUnlikeKayenta() {
    Judgement j =
        judge(
            GroupWeights.EQUAL,
            metric("a", "g", Classification.PASS, false),
            metric("b", "g", Classification.ERROR, false));
    assertThat(j.score()).isEqualTo(50);
    assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void aGroupWithoutClassifiedMetricsIsLeftOutRatherThanScored100() {
    Judgement j =
        judge(
            new GroupWeights(Map.of("errors", 50.0, "latency", 50.0)),
            metric("e1", "errors", Classification.HIGH, false),
            metric("e2", "errors", Classification.PASS, false),
            metric("e3", "errors", Classification.PASS, false),
            metric("p95", "latency", Classification.NODATA, false));
    assertThat(j.groupScores()).containsOnlyKeys("errors");
    assertThat(j.score()).isEqualTo(66.67);
  }

  @Test
  void atLeastHalfTheMetricsWithoutDataGivesNoData() {
    Judgement j =
        judge(
            GroupWeights.EQUAL,
            metric("a", "g", Classification.PASS, false),
            metric("b", "g", Classification.NODATA, false));
    assertThat(j.verdict()).isEqualTo(Verdict.NODATA);
    assertThat(j.score()).isZero();
    assertThat(j.reason()).isEqualTo("1 of 2 metrics have no data");
  }

  @Test
  void aCriticalMetricWithoutDataGivesNoData() {
    Judgement j =
        judge(
            GroupWeights.EQUAL,
            metric("crashes", "g", Classification.NODATA, true),
            metric("a", "g", Classification.PASS, false),
            metric("b", "g", Classification.PASS, false));
    assertThat(j.verdict()).isEqualTo(Verdict.NODATA);
    assertThat(j.reason()).isEqualTo("critical metric crashes has no data");
  }

  @Test
  void aMetricThatMustHaveDataCountsItsAbsenceAsAFailure() {
    MetricSpec must = MetricSpec.named("m").mustHaveData(true).threshold(MAX_ONE).build();
    Judgement j =
        judge(
            GroupWeights.EQUAL,
            MetricInput.canaryOnly(must),
            metric("a", "default", Classification.PASS, false),
            metric("b", "default", Classification.PASS, false));
    assertThat(j.score()).isEqualTo(66.67);
    assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void aMutedMetricIsReportedButNotScored() {
    MetricSpec muted = MetricSpec.named("m").muted(true).threshold(MAX_ONE).build();
    Judgement j =
        judge(
            GroupWeights.EQUAL,
            MetricInput.canaryOnly(muted, 5.0),
            metric("a", "default", Classification.PASS, false));
    assertThat(j.metrics().get(0).classification()).isEqualTo(Classification.HIGH);
    assertThat(j.score()).isEqualTo(100);
  }

  @Test
  void aStatefulJudgeCarriesItsMemoryFromTickToTick() {
    Judge counting =
        new Judge() {
          @Override
          public String type() {
            return "counting";
          }

          @Override
          public MetricResult classify(MetricInput input, JudgeContext context) {
            JudgeMemory memory = context.memory();
            double seen = memory.get("points", 0) + input.canary().length;
            memory.put("points", seen);
            return MetricResult.simple(
                input.spec(), type(), Classification.PASS, "seen " + (long) seen);
          }
        };
    JudgementEngine stateful = new JudgementEngine(counting);
    MetricSpec spec = MetricSpec.named("latency").build();
    List<MetricInput> tick =
        List.of(MetricInput.compared(spec, new double[] {1, 2, 3}, new double[] {1}));
    Judgement first =
        stateful.judge(tick, GroupWeights.EQUAL, ScoreThresholds.DEFAULT, JudgeState.EMPTY);
    Judgement second =
        stateful.judge(tick, GroupWeights.EQUAL, ScoreThresholds.DEFAULT, first.state());
    assertThat(first.state().metrics()).containsEntry("latency", Map.of("points", 3.0));
    assertThat(second.metrics().get(0).reason()).isEqualTo("seen 6");
  }

  @Test
  void aMetricWithNeitherThresholdNorBaselineIsAnError() {
    Judgement j =
        judge(GroupWeights.EQUAL, MetricInput.canaryOnly(MetricSpec.named("x").build(), 1.0));
    assertThat(j.metrics().get(0).classification()).isEqualTo(Classification.ERROR);
    assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void groupWeightProblemsAreNamed() {
    Set<String> groups = Set.of("errors", "latency");
    assertThat(new GroupWeights(Map.of("errors", 80.0, "latency", 40.0)).problems(groups))
        .extracting(p -> p[1])
        .containsExactly("group weights add up to 120, above 100");
    assertThat(new GroupWeights(Map.of("errors", 50.0, "latency", 40.0)).problems(groups))
        .extracting(p -> p[1])
        .containsExactly("every group is weighted, so the weights must add up to 100, not 90");
    assertThat(new GroupWeights(Map.of("errors", 50.0, "saturation", 10.0)).problems(groups))
        .extracting(p -> p[0])
        .containsExactly("saturation");
    assertThat(new GroupWeights(Map.of("errors", 60.0)).problems(groups)).isEmpty();
  }
}
