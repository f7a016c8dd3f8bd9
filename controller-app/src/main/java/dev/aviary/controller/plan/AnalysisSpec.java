package dev.aviary.controller.plan;

import dev.aviary.analysis.judge.JudgeOptions;
import dev.aviary.analysis.judge.ScoreThresholds;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a plan judges its canary, on every tick.
 *
 * @param interval time between analysis ticks
 * @param warmup after each weight change, how long to wait before the first judgement
 * @param metrics what to measure and how to judge it
 * @param failureLimit failed ticks tolerated; one more rolls back (Argo Rollouts' meaning)
 * @param inconclusiveLimit inconclusive ticks tolerated; one more pauses for a person
 * @param consecutiveErrorLimit metric-backend errors in a row tolerated; one more acts as {@code
 *     errorAction} says
 * @param errorAction what more errors in a row than the limit do: roll back, or pause for a person
 * @param thresholds score thresholds for PASS and MARGINAL
 * @param judge the comparison judge and its settings
 * @param groupWeights weights of the metric groups, in percent
 * @param maxDuration how long an analysis step may wait undecided (a sequential judge has proven
 *     neither harm nor safety) before {@code onUndecided} acts
 * @param onUndecided what an analysis step undecided for {@code maxDuration} does
 */
public record AnalysisSpec(
    Duration interval,
    Duration warmup,
    List<MetricDefinition> metrics,
    int failureLimit,
    int inconclusiveLimit,
    int consecutiveErrorLimit,
    ErrorAction errorAction,
    ScoreThresholds thresholds,
    JudgeOptions judge,
    Map<String, Double> groupWeights,
    Duration maxDuration,
    UndecidedAction onUndecided) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
  public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(1);

  /** What an analysis step that stays undecided for {@code maxDuration} does. */
  public enum UndecidedAction {
    /** Hold at the current weight for a person to decide (promote, abort, or resume to wait on). */
    PAUSE,
    /** Return traffic to stable: a canary that cannot be shown safe is not released. */
    ROLLBACK
  }

  public static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;

  /**
   * What too many metric-backend errors in a row do. Nothing is known about the canary then, so the
   * default holds it where it is for a person rather than passing a verdict on it.
   */
  public enum ErrorAction {
    /**
     * Return traffic to stable (Argo Rollouts' behaviour); the rollout ends ROLLED_BACK with the
     * cause NOT_JUDGED, which the CLI reports with its own exit code.
     */
    ROLLBACK,
    /** Hold at the current weight until a person resumes (after fixing the backend) or aborts. */
    PAUSE
  }

  public AnalysisSpec {
    metrics = List.copyOf(metrics);
    groupWeights = Map.copyOf(groupWeights);
  }
}
