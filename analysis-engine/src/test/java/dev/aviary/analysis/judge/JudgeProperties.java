package dev.aviary.analysis.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class JudgeProperties {

  private final MannWhitneyJudge judge = new MannWhitneyJudge();

  @Property(tries = 300)
  void identicalSamplesNeverFail(
      @ForAll("sample") double[] sample, @ForAll Direction direction, @ForAll boolean critical) {
    MetricSpec spec = MetricSpec.named("m").direction(direction).critical(critical).build();
    MetricResult r =
        judge.classify(MetricInput.compared(spec, sample, sample.clone()), JudgeMemory.empty());
    assertThat(r.classification()).isEqualTo(Classification.PASS);
    Judgement j =
        new JudgementEngine(judge)
            .judge(
                List.of(MetricInput.compared(spec, sample, sample.clone())),
                GroupWeights.EQUAL,
                ScoreThresholds.DEFAULT);
    assertThat(j.verdict()).isEqualTo(Verdict.PASS);
  }

  @Property(tries = 300)
  void aLargeShiftFailsOnlyInTheConfiguredDirection(
      @ForAll("largeSample") double[] baseline,
      @ForAll boolean upwards,
      @ForAll Direction direction) {
    double spread =
        java.util.Arrays.stream(baseline).max().orElseThrow()
            - java.util.Arrays.stream(baseline).min().orElseThrow();
    double shift = (upwards ? 1 : -1) * (10 * spread + 1000);
    double[] canary = java.util.Arrays.stream(baseline).map(v -> v + shift).toArray();
    MetricSpec spec = MetricSpec.named("m").direction(direction).build();
    Classification c =
        judge
            .classify(MetricInput.compared(spec, canary, baseline), JudgeMemory.empty())
            .classification();
    boolean counts = upwards ? direction != Direction.DECREASE : direction != Direction.INCREASE;
    Classification expected =
        counts ? (upwards ? Classification.HIGH : Classification.LOW) : Classification.PASS;
    assertThat(c).isEqualTo(expected);
  }

  @Property(tries = 300)
  void scalingBothSamplesByOnePositiveFactorNeverChangesTheClassification(
      @ForAll("integerSample") double[] canary,
      @ForAll("integerSample") double[] baseline,
      @ForAll("factor") double factor,
      @ForAll Direction direction) {
    // Integer data and factors that are whole numbers or powers of two keep every product exact,
    // so the property tests the judge, not floating-point rounding.
    MetricSpec spec = MetricSpec.named("m").direction(direction).build();
    double[] scaledCanary = java.util.Arrays.stream(canary).map(v -> v * factor).toArray();
    double[] scaledBaseline = java.util.Arrays.stream(baseline).map(v -> v * factor).toArray();
    Classification original =
        judge
            .classify(MetricInput.compared(spec, canary, baseline), JudgeMemory.empty())
            .classification();
    Classification scaled =
        judge
            .classify(MetricInput.compared(spec, scaledCanary, scaledBaseline), JudgeMemory.empty())
            .classification();
    assertThat(scaled).isEqualTo(original);
  }

  @Property(tries = 500)
  void scoreStaysWithinBoundsAndNeverDropsWhenAMetricTurnsFromHighToPass(
      @ForAll("outcomes") List<Outcome> outcomes, @ForAll @IntRange(min = 0, max = 50) int pick) {
    List<Outcome> highs =
        outcomes.stream().filter(o -> o.classification == Classification.HIGH).toList();
    Assume.that(!highs.isEmpty());
    Outcome flipped = highs.get(pick % highs.size());
    List<Outcome> after = new ArrayList<>();
    for (Outcome o : outcomes) {
      after.add(o == flipped ? new Outcome(o.group, Classification.PASS, o.critical) : o);
    }
    Judgement before = score(outcomes);
    Judgement improved = score(after);
    assertThat(before.score()).isBetween(0.0, 100.0);
    assertThat(improved.score()).isBetween(0.0, 100.0);
    assertThat(improved.score()).isGreaterThanOrEqualTo(before.score());
  }

  private Judgement score(List<Outcome> outcomes) {
    List<MetricInput> inputs = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome o = outcomes.get(i);
      inputs.add(JudgementEngineTest.metric("m" + i, o.group, o.classification, o.critical));
    }
    return new JudgementEngine(judge).judge(inputs, GroupWeights.EQUAL, ScoreThresholds.DEFAULT);
  }

  record Outcome(String group, Classification classification, boolean critical) {}

  @Provide
  Arbitrary<List<Outcome>> outcomes() {
    Arbitrary<Outcome> one =
        Combinators.combine(
                Arbitraries.of("errors", "latency", "saturation"),
                Arbitraries.of(
                    Classification.PASS,
                    Classification.HIGH,
                    Classification.NODATA,
                    Classification.ERROR),
                Arbitraries.integers().between(0, 9).map(i -> i == 0))
            .as(Outcome::new);
    return one.list().ofMinSize(1).ofMaxSize(12);
  }

  @Provide
  Arbitrary<double[]> sample() {
    return Arbitraries.doubles()
        .between(0, 1000)
        .ofScale(2)
        .array(double[].class)
        .ofMinSize(1)
        .ofMaxSize(80);
  }

  @Provide
  Arbitrary<double[]> largeSample() {
    return Arbitraries.doubles()
        .between(1, 100)
        .ofScale(2)
        .array(double[].class)
        .ofMinSize(10)
        .ofMaxSize(80);
  }

  @Provide
  Arbitrary<double[]> integerSample() {
    return Arbitraries.integers()
        .between(-50, 50)
        .map(i -> (double) i)
        .array(double[].class)
        .ofMinSize(1)
        .ofMaxSize(40);
  }

  @Provide
  Arbitrary<Double> factor() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(1, 1000).map(i -> (double) i),
        Arbitraries.integers().between(-20, 20).map(k -> Math.pow(2, k)));
  }
}
