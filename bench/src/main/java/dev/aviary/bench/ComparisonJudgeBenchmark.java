package dev.aviary.bench;

import dev.aviary.analysis.judge.Direction;
import dev.aviary.analysis.judge.GroupWeights;
import dev.aviary.analysis.judge.Judgement;
import dev.aviary.analysis.judge.JudgementEngine;
import dev.aviary.analysis.judge.MetricInput;
import dev.aviary.analysis.judge.MetricSpec;
import dev.aviary.analysis.judge.ScoreThresholds;
import dev.aviary.analysis.judge.mannwhitney.MannWhitneyJudge;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One whole judgement by the comparison judge: 10 metrics of {@code points} values a side, half of
 * them regressed, preprocessing, Mann-Whitney with interval and Hodges-Lehmann estimate, scoring.
 * Budget (issue 3): median under 10 ms at 1,000 points a side on the 2-core build machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ComparisonJudgeBenchmark {

  @Param({"1000"})
  int points;

  @Param({"10"})
  int metrics;

  private JudgementEngine engine;
  private List<MetricInput> inputs;

  @Setup
  public void setUp() {
    engine = new JudgementEngine(new MannWhitneyJudge());
    SplittableRandom random = new SplittableRandom(42);
    inputs = new ArrayList<>();
    for (int m = 0; m < metrics; m++) {
      double shift = m % 2 == 0 ? 0 : 5;
      double[] baseline = new double[points];
      double[] canary = new double[points];
      for (int i = 0; i < points; i++) {
        // Latency-like values rounded to 0.1 ms, so that ties occur as they do in real data.
        baseline[i] = Math.round((100 + random.nextGaussian() * 10) * 10) / 10.0;
        canary[i] = Math.round((100 + shift + random.nextGaussian() * 10) * 10) / 10.0;
      }
      MetricSpec spec =
          MetricSpec.named("metric-" + m)
              .direction(Direction.INCREASE)
              .group("g" + (m % 3))
              .build();
      inputs.add(MetricInput.compared(spec, canary, baseline));
    }
  }

  @Benchmark
  public Judgement judge() {
    return engine.judge(inputs, GroupWeights.EQUAL, ScoreThresholds.DEFAULT);
  }
}
