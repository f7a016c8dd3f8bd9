package dev.aviary.analysis.judge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.analysis.judge.mannwhitney.MannWhitneyJudge;
import dev.aviary.testing.Gen;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties of the Mann-Whitney judge and the scorer over seeded generated inputs. */
class JudgeProperties {

  private final MannWhitneyJudge judge = new MannWhitneyJudge();

  static Stream<Long> seeds300() {
    return Gen.seeds(300);
  }

  static Stream<Long> seeds500() {
    return Gen.seeds(500);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds300")
  void identicalSamplesNeverFail(long seed) {
    Gen gen = new Gen(seed);
    double[] sample = sample(gen);
    Direction direction = gen.of(Direction.values());
    boolean critical = gen.bool();
    MetricSpec spec = MetricSpec.named("m").direction(direction).critical(critical).build();
    MetricResult r =
        judge.classify(MetricInput.compared(spec, sample, sample.clone()), JudgeContext.fresh());
    assertThat(r.classification()).isEqualTo(Classification.PASS);
    Judgement j =
        new JudgementEngine(judge)
            .judge(
                List.of(MetricInput.compared(spec, sample, sample.clone())),
                GroupWeights.EQUAL,
                ScoreThresholds.DEFAULT);
    assertThat(j.verdict()).isEqualTo(Verdict.PASS);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds300")
  void aLargeShiftFailsOnlyInTheConfiguredDirection(long seed) {
    Gen gen = new Gen(seed);
    double[] baseline = gen.doubles(10, 80, () -> gen.between(1.0, 100.0, 2));
    boolean upwards = gen.bool();
    Direction direction = gen.of(Direction.values());
    double spread =
        Arrays.stream(baseline).max().orElseThrow() - Arrays.stream(baseline).min().orElseThrow();
    double shift = (upwards ? 1 : -1) * (10 * spread + 1000);
    double[] canary = Arrays.stream(baseline).map(v -> v + shift).toArray();
    MetricSpec spec = MetricSpec.named("m").direction(direction).build();
    Classification c =
        judge
            .classify(MetricInput.compared(spec, canary, baseline), JudgeContext.fresh())
            .classification();
    boolean counts = upwards ? direction != Direction.DECREASE : direction != Direction.INCREASE;
    Classification expected =
        counts ? (upwards ? Classification.HIGH : Classification.LOW) : Classification.PASS;
    assertThat(c).isEqualTo(expected);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds300")
  void scalingBothSamplesByOnePositiveFactorNeverChangesTheClassification(long seed) {
    // Integer data and factors that are whole numbers or powers of two keep every product exact,
    // so the property tests the judge, not floating-point rounding.
    Gen gen = new Gen(seed);
    double[] canary = integerSample(gen);
    double[] baseline = integerSample(gen);
    double factor = gen.bool() ? gen.between(1, 1000) : Math.pow(2, gen.between(-20, 20));
    Direction direction = gen.of(Direction.values());
    MetricSpec spec = MetricSpec.named("m").direction(direction).build();
    double[] scaledCanary = Arrays.stream(canary).map(v -> v * factor).toArray();
    double[] scaledBaseline = Arrays.stream(baseline).map(v -> v * factor).toArray();
    Classification original =
        judge
            .classify(MetricInput.compared(spec, canary, baseline), JudgeContext.fresh())
            .classification();
    Classification scaled =
        judge
            .classify(
                MetricInput.compared(spec, scaledCanary, scaledBaseline), JudgeContext.fresh())
            .classification();
    assertThat(scaled).isEqualTo(original);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds500")
  void scoreStaysWithinBoundsAndNeverDropsWhenAMetricTurnsFromHighToPass(long seed) {
    Gen gen = new Gen(seed);
    List<Outcome> outcomes = outcomes(gen);
    // At least one HIGH to flip: the generator guarantees it instead of discarding cases.
    int forced = gen.between(0, outcomes.size() - 1);
    Outcome o = outcomes.get(forced);
    outcomes.set(forced, new Outcome(o.group, Classification.HIGH, o.critical));
    List<Outcome> highs =
        outcomes.stream().filter(x -> x.classification == Classification.HIGH).toList();
    Outcome flipped = highs.get(gen.between(0, 50) % highs.size());
    List<Outcome> after = new ArrayList<>();
    for (Outcome x : outcomes) {
      after.add(x == flipped ? new Outcome(x.group, Classification.PASS, x.critical) : x);
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

  private static List<Outcome> outcomes(Gen gen) {
    return new ArrayList<>(
        gen.list(
            1,
            12,
            () ->
                new Outcome(
                    gen.of("errors", "latency", "saturation"),
                    gen.of(
                        Classification.PASS,
                        Classification.HIGH,
                        Classification.NODATA,
                        Classification.ERROR),
                    gen.oneIn(10))));
  }

  private static double[] sample(Gen gen) {
    return gen.doubles(1, 80, () -> gen.between(0.0, 1000.0, 2));
  }

  private static double[] integerSample(Gen gen) {
    return gen.doubles(1, 40, () -> (double) gen.between(-50, 50));
  }
}
