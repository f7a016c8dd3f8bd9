package dev.aviary.analysis.judge;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The judge as a pipeline: for each metric, the threshold judge (when the metric has bounds) and
 * the comparison judge (when it has baseline data) classify it; the most severe outcome stands; the
 * scorer turns the classifications into a score and a verdict.
 */
public final class JudgementEngine {

  private final Judge thresholdJudge;
  private final Judge comparisonJudge;

  /** An engine with the threshold judge and the given comparison judge. */
  public JudgementEngine(Judge comparisonJudge) {
    this(new ThresholdJudge(), comparisonJudge);
  }

  JudgementEngine(Judge thresholdJudge, Judge comparisonJudge) {
    this.thresholdJudge = Objects.requireNonNull(thresholdJudge);
    this.comparisonJudge = Objects.requireNonNull(comparisonJudge);
  }

  /** Judges one interval without carried state. */
  public Judgement judge(
      List<MetricInput> metrics, GroupWeights weights, ScoreThresholds thresholds) {
    return judge(metrics, weights, thresholds, JudgeState.EMPTY);
  }

  /** Judges one interval, continuing from what stateful judges remembered of earlier ticks. */
  public Judgement judge(
      List<MetricInput> metrics,
      GroupWeights weights,
      ScoreThresholds thresholds,
      JudgeState previous) {
    Set<String> names = new HashSet<>();
    for (MetricInput m : metrics) {
      if (!names.add(m.spec().name())) {
        throw new IllegalArgumentException("metric names must be unique: " + m.spec().name());
      }
    }
    List<MetricSpec> specs = new ArrayList<>();
    List<MetricResult> results = new ArrayList<>();
    Map<String, Map<String, Double>> nextState = new LinkedHashMap<>();
    for (MetricInput input : metrics) {
      JudgeMemory memory = previous.memoryOf(input.spec().name());
      specs.add(input.spec());
      results.add(classify(input, memory));
      Map<String, Double> remembered = memory.snapshot();
      if (!remembered.isEmpty()) {
        nextState.put(input.spec().name(), remembered);
      }
    }
    return Scorer.score(specs, results, weights, thresholds, new JudgeState(nextState));
  }

  private MetricResult classify(MetricInput input, JudgeMemory memory) {
    boolean hasThreshold = input.spec().threshold() != null;
    boolean hasBaseline = input.hasBaseline();
    if (input.error() != null) {
      String judge = hasBaseline || !hasThreshold ? comparisonJudge.type() : thresholdJudge.type();
      return MetricResult.simple(input.spec(), judge, Classification.ERROR, input.error());
    }
    if (!hasThreshold && !hasBaseline) {
      return MetricResult.simple(
          input.spec(),
          "none",
          Classification.ERROR,
          "nothing to judge: the metric has neither a threshold nor baseline data");
    }
    MetricResult result = null;
    if (hasThreshold) {
      result = thresholdJudge.classify(input, memory);
    }
    if (hasBaseline) {
      MetricResult compared = comparisonJudge.classify(input, memory);
      result = result == null ? compared : result.joinedWith(compared);
    }
    return result;
  }
}
