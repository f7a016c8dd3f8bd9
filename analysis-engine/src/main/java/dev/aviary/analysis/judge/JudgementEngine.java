package dev.aviary.analysis.judge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The judge as a pipeline: for each metric, the threshold judge (when the metric has bounds) and
 * its comparison judge (when it names one and has baseline data) classify it; the most severe
 * outcome stands; the scorer turns the classifications into a score and a verdict.
 */
public final class JudgementEngine {

  private final Judge thresholdJudge = new ThresholdJudge();
  private final @Nullable Judge override;

  /** An engine that compares each metric with the judge its spec names. */
  public JudgementEngine() {
    this.override = null;
  }

  /**
   * An engine that compares every metric that has baseline data with {@code comparison}, whatever
   * its spec names: a judge tried on its own.
   */
  public JudgementEngine(@Nullable Judge comparison) {
    this.override = comparison;
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
    Map<String, Integer> families = new HashMap<>();
    for (MetricInput m : metrics) {
      Judge comparison = comparisonJudge(m.spec());
      if (comparison != null) {
        families.merge(comparison.type(), 1, Integer::sum);
      }
    }
    List<MetricSpec> specs = new ArrayList<>();
    List<MetricResult> results = new ArrayList<>();
    Map<String, Map<String, Double>> nextState = new LinkedHashMap<>();
    for (MetricInput input : metrics) {
      JudgeMemory memory = previous.memoryOf(input.spec().name());
      specs.add(input.spec());
      results.add(classify(input, memory, families));
      Map<String, Double> remembered = memory.snapshot();
      if (!remembered.isEmpty()) {
        nextState.put(input.spec().name(), remembered);
      }
    }
    return Scorer.score(specs, results, weights, thresholds, new JudgeState(nextState));
  }

  /** The judge comparing this metric with its baseline; null when only thresholds apply. */
  private @Nullable Judge comparisonJudge(MetricSpec spec) {
    if (override != null) {
      return override;
    }
    JudgeOptions options = spec.judge();
    if (options == null) {
      return null;
    }
    Judge judge = options.judge();
    return judge.type().equals(ThresholdJudge.TYPE) ? null : judge;
  }

  private MetricResult classify(
      MetricInput input, JudgeMemory memory, Map<String, Integer> families) {
    boolean hasThreshold = input.spec().threshold() != null;
    boolean hasBaseline = input.hasBaseline();
    Judge comparison = comparisonJudge(input.spec());
    if (input.error() != null) {
      String judge =
          comparison != null && (hasBaseline || !hasThreshold)
              ? comparison.type()
              : thresholdJudge.type();
      return MetricResult.simple(input.spec(), judge, Classification.ERROR, input.error());
    }
    if (!hasThreshold && (comparison == null || !hasBaseline)) {
      return MetricResult.simple(
          input.spec(),
          "none",
          Classification.ERROR,
          comparison == null
              ? "nothing to judge: the metric has neither a threshold nor a comparison judge"
              : "nothing to judge: the metric has neither a threshold nor baseline data");
    }
    MetricResult thresholdResult =
        hasThreshold ? thresholdJudge.classify(input, new JudgeContext(memory, 1)) : null;
    if (comparison == null || !hasBaseline) {
      return Objects.requireNonNull(thresholdResult); // hasThreshold, or we returned above
    }
    MetricResult compared =
        comparison.classify(
            input, new JudgeContext(memory, families.getOrDefault(comparison.type(), 1)));
    return thresholdResult == null ? compared : thresholdResult.joinedWith(compared);
  }
}
