package dev.aviary.analysis.judge.sequential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.analysis.judge.Classification;
import dev.aviary.analysis.judge.Counts;
import dev.aviary.analysis.judge.GroupWeights;
import dev.aviary.analysis.judge.Histogram;
import dev.aviary.analysis.judge.JudgeState;
import dev.aviary.analysis.judge.Judgement;
import dev.aviary.analysis.judge.JudgementEngine;
import dev.aviary.analysis.judge.MetricInput;
import dev.aviary.analysis.judge.MetricResult;
import dev.aviary.analysis.judge.MetricSpec;
import dev.aviary.analysis.judge.ScoreThresholds;
import dev.aviary.analysis.judge.Verdict;
import dev.aviary.testing.Sampling;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The sequential judge through the engine, as a rollout drives it: tick by tick, its state carried
 * in a {@link JudgeState} (and through a copy of plain maps, as the database keeps it).
 */
class SequentialJudgeTest {

  private static final MetricSpec ERRORS =
      MetricSpec.named("errors").judge(SequentialOptions.DEFAULT).build();
  private static final MetricSpec LATENCY =
      MetricSpec.named("latency").judge(SequentialOptions.DEFAULT).build();
  private static final double[] BOUNDS = {
    0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 2.5, Double.POSITIVE_INFINITY
  };

  private final JudgementEngine engine = new JudgementEngine();

  /** Runs ticks until the verdict is no longer UNDECIDED or {@code ticks} ran; answers the last. */
  private Tick drive(int ticks, Function<Integer, List<MetricInput>> tick) {
    JudgeState state = JudgeState.EMPTY;
    Judgement j = null;
    int t = 0;
    for (; t < ticks; t++) {
      j = engine.judge(tick.apply(t), GroupWeights.EQUAL, ScoreThresholds.DEFAULT, state);
      state = stored(j.state());
      if (j.verdict() != Verdict.UNDECIDED) {
        break;
      }
    }
    return new Tick(t, j);
  }

  private record Tick(int index, Judgement judgement) {
    MetricResult metric(int i) {
      return judgement.metrics().get(i);
    }
  }

  /** The state as the database hands it back: fresh maps of plain numbers. */
  private static JudgeState stored(JudgeState state) {
    Map<String, Map<String, Double>> copy = new HashMap<>();
    state.metrics().forEach((k, v) -> copy.put(k, new HashMap<>(v)));
    return new JudgeState(copy);
  }

  private static MetricInput errors(SplittableRandom r, int n, double canary, double baseline) {
    return MetricInput.counted(
        ERRORS,
        new Counts(
            Sampling.binomial(r, n, canary), n, Sampling.binomial(r, 19 * n, baseline), 19 * n));
  }

  @Test
  void aCanaryWithThreeTimesTheErrorsIsRolledBackDecisivelyAndSaysWhy() {
    SplittableRandom r = new SplittableRandom(3);
    Tick end = drive(360, t -> List.of(errors(r, 50, 0.03, 0.01)));
    MetricResult m = end.metric(0);
    assertThat(m.classification()).isEqualTo(Classification.HIGH);
    assertThat(m.criticalFailure()).isTrue();
    assertThat(end.judgement().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(end.index()).isLessThan(60);
    assertThat(m.statistics().get("harmEvidence")).isGreaterThanOrEqualTo(100);
    assertThat(m.statistics().get("ratioLower")).isGreaterThanOrEqualTo(1);
    assertThat(m.reason()).matches("canary [0-9,]+ bad / [0-9,]+ vs baseline .*; ratio .*proven.*");
  }

  @Test
  void aHealthyCanaryWaitsUndecidedThenPasses() {
    SplittableRandom r = new SplittableRandom(4);
    Tick first = drive(1, t -> List.of(errors(r, 250, 0.01, 0.01)));
    assertThat(first.judgement().verdict()).isEqualTo(Verdict.UNDECIDED);
    assertThat(first.metric(0).classification()).isEqualTo(Classification.UNDECIDED);
    assertThat(first.metric(0).reason()).contains("needs more traffic to decide");

    JudgeState state = JudgeState.EMPTY;
    int passedAt = -1;
    Judgement last = null;
    for (int t = 0; t < 720; t++) {
      Judgement j =
          engine.judge(
              List.of(errors(r, 250, 0.01, 0.01)),
              GroupWeights.EQUAL,
              ScoreThresholds.DEFAULT,
              state);
      state = stored(j.state());
      if (passedAt < 0 && j.verdict() == Verdict.PASS) {
        passedAt = t;
      }
      last = j;
    }
    assertThat(passedAt).isBetween(10, 720);
    assertThat(last).isNotNull();
    assertThat(last.verdict()).isEqualTo(Verdict.PASS); // the evidence of safety only grew
  }

  @Test
  void aQuietServiceWithoutErrorsPassesOnlyOnEnoughRequestsAndOnlyWithPassBelow() {
    MetricSpec strict =
        MetricSpec.named("errors").judge(new SequentialOptions(0.01, 1, 1.5, null)).build();
    Function<Integer, List<MetricInput>> quiet =
        t -> List.of(MetricInput.counted(ERRORS, new Counts(0, 50, 0, 950)));
    Tick passed = drive(10_000, quiet);
    assertThat(passed.judgement().verdict()).isEqualTo(Verdict.PASS);
    // at 50 requests a tick, showing a rate below 0.1 % at α = 1 % takes thousands of requests
    assertThat(passed.index() * 50).isBetween(3_000, 10_000);
    Tick never = drive(2_000, t -> List.of(MetricInput.counted(strict, new Counts(0, 50, 0, 950))));
    assertThat(never.judgement().verdict()).isEqualTo(Verdict.UNDECIDED);
  }

  @Test
  void aRestartFromTheStoredStateDecidesExactlyAsAnUninterruptedRun() {
    SplittableRandom data = new SplittableRandom(5);
    List<List<MetricInput>> ticks =
        java.util.stream.IntStream.range(0, 120)
            .mapToObj(t -> List.of(errors(data, 50, 0.018, 0.01)))
            .toList();
    JudgeState kept = JudgeState.EMPTY;
    JudgeState restarted = JudgeState.EMPTY;
    for (List<MetricInput> tick : ticks) {
      Judgement a = engine.judge(tick, GroupWeights.EQUAL, ScoreThresholds.DEFAULT, kept);
      Judgement b =
          new JudgementEngine().judge(tick, GroupWeights.EQUAL, ScoreThresholds.DEFAULT, restarted);
      kept = a.state();
      restarted = stored(b.state());
      assertThat(b.verdict()).isEqualTo(a.verdict());
      assertThat(b.metrics().get(0).statistics()).isEqualTo(a.metrics().get(0).statistics());
    }
  }

  @Test
  void twoSequentialMetricsShareAlpha() {
    MetricSpec other = MetricSpec.named("timeouts").judge(SequentialOptions.DEFAULT).build();
    Judgement j =
        engine.judge(
            List.of(
                MetricInput.counted(ERRORS, new Counts(1, 50, 9, 950)),
                MetricInput.counted(other, new Counts(0, 50, 3, 950))),
            GroupWeights.EQUAL,
            ScoreThresholds.DEFAULT);
    assertThat(j.metrics())
        .allSatisfy(m -> assertThat(m.statistics()).containsEntry("threshold", 200.0));
  }

  @Test
  void impossibleCountsAreAnErrorNamingTheProblem() {
    Judgement j =
        engine.judge(
            List.of(MetricInput.counted(ERRORS, new Counts(60, 50, 0, 950))),
            GroupWeights.EQUAL,
            ScoreThresholds.DEFAULT);
    assertThat(j.metrics().get(0).classification()).isEqualTo(Classification.ERROR);
    assertThat(j.metrics().get(0).reason()).contains("bad events exceed all events");
  }

  /**
   * Cumulative bucket counts of {@code n} log-normal latencies; {@code tail} slows the slowest 2 %.
   */
  private static double[] latencies(SplittableRandom r, int n, double scale, double tail) {
    double[] cumulative = new double[BOUNDS.length];
    for (int i = 0; i < n; i++) {
      double u = r.nextDouble();
      double z = r.nextGaussian();
      double latency = 0.1 * scale * Math.exp(0.5 * z);
      if (z > 2.054) { // the slowest 2 %
        latency *= tail;
      }
      if (u < 0) {
        latency = 0;
      }
      for (int b = 0; b < BOUNDS.length; b++) {
        if (latency <= BOUNDS[b]) {
          cumulative[b]++;
        }
      }
    }
    return cumulative;
  }

  private static MetricInput latency(SplittableRandom r, int n, double scale, double tail) {
    return MetricInput.histogram(
        LATENCY, new Histogram(BOUNDS, latencies(r, n, scale, tail), latencies(r, 19 * n, 1, 1)));
  }

  @Test
  void boundsArePlacedAtTheBaselinesPercentilesAndKept() {
    SplittableRandom r = new SplittableRandom(6);
    Histogram h = new Histogram(BOUNDS, latencies(r, 500, 1, 1), latencies(r, 9500, 1, 1));
    Map<String, Double> bounds = SequentialJudge.placeBounds(h);
    // log-normal median 0.1, 90th 0.19, 99th 0.32: the bounds at or above them
    assertThat(bounds.get("p50")).isIn(0.1, 0.15); // the median sits on a bound: either side
    assertThat(bounds)
        .containsEntry("p90", 0.2)
        .containsEntry("p99", 0.4)
        .containsEntry("tail", 0.75); // the first bound at or above 1.5 × 0.4
  }

  @Test
  void aTailOnlySlowdownIsCaughtWhileTheMedianStaysPut() {
    SplittableRandom r = new SplittableRandom(7);
    Tick end = drive(360, t -> List.of(latency(r, 50, 1, 2.5)));
    MetricResult m = end.metric(0);
    assertThat(m.classification()).isEqualTo(Classification.HIGH);
    assertThat(m.statistics().get("p50.ratio")).isBetween(0.8, 1.25);
    assertThat(m.statistics().get("tail.ratio")).isGreaterThan(3);
    assertThat(m.reason()).contains("slower than 0.75 (the tail");
  }

  @Test
  void aHealthyCanaryIsNeverCalledSlowAndPassesOnEnoughTraffic() {
    int rolledBack = 0;
    int passed = 0;
    for (int run = 0; run < 40; run++) {
      SplittableRandom r = new SplittableRandom(1000 + run);
      Tick end = drive(360, t -> List.of(latency(r, 250, 1, 1)));
      if (end.judgement().verdict() == Verdict.FAIL) {
        rolledBack++;
      } else if (end.judgement().verdict() == Verdict.PASS) {
        passed++;
      }
    }
    // the calibration itself is measured over thousands of runs by bench/JudgeBenchmark
    assertThat(rolledBack).isLessThanOrEqualTo(2);
    assertThat(passed).isGreaterThanOrEqualTo(36);
  }

  @Test
  void histogramBucketsThatChangeMidRolloutAreAnError() {
    SplittableRandom r = new SplittableRandom(8);
    JudgeState state =
        engine
            .judge(List.of(latency(r, 100, 1, 1)), GroupWeights.EQUAL, ScoreThresholds.DEFAULT)
            .state(); // 1,900 baseline requests: the bounds are placed
    assertThat(state.metrics().get("latency")).containsKey("bound.p99");
    double[] fewer = {0.5, Double.POSITIVE_INFINITY};
    Judgement j =
        engine.judge(
            List.of(
                MetricInput.histogram(
                    LATENCY, new Histogram(fewer, new double[] {40, 50}, new double[] {900, 950}))),
            GroupWeights.EQUAL,
            ScoreThresholds.DEFAULT,
            state);
    assertThat(j.metrics().get(0).classification()).isEqualTo(Classification.ERROR);
    assertThat(j.metrics().get(0).reason()).contains("buckets changed");
  }
}
