package dev.aviary.analysis.judge;

import dev.aviary.analysis.stats.Summary;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How one metric was classified, and why. Statistics a judge did not compute are null.
 *
 * @param name the metric
 * @param group its scoring group
 * @param classification the outcome
 * @param criticalFailure a critical metric failed beyond its critical gate: the score is 0
 * @param judge which judge decided ({@code threshold}, {@code mann-whitney}, or both joined by +)
 * @param value the canary's reduced value a threshold was compared with
 * @param pValue two-sided p-value of the comparison
 * @param lowerBound lower end of the confidence interval of the shift canary - baseline
 * @param upperBound upper end of that interval
 * @param estimate Hodges-Lehmann estimate of the shift
 * @param effectSize mean canary / mean baseline (NaN when either mean is 0)
 * @param canary the canary's values after preprocessing, summarised
 * @param baseline the baseline's values after preprocessing, summarised (null if not compared)
 * @param statistics what the judge computed beyond these, by name (the sequential judge: counts,
 *     the rate ratio's estimate and confidence sequence, the evidence against each bound)
 * @param reason one sentence a person can act on
 */
public record MetricResult(
    String name,
    String group,
    Classification classification,
    boolean criticalFailure,
    String judge,
    @Nullable Double value,
    @Nullable Double pValue,
    @Nullable Double lowerBound,
    @Nullable Double upperBound,
    @Nullable Double estimate,
    @Nullable Double effectSize,
    @Nullable Summary canary,
    @Nullable Summary baseline,
    Map<String, Double> statistics,
    String reason) {

  public MetricResult {
    statistics = Map.copyOf(statistics);
  }

  public static MetricResult simple(
      MetricSpec spec, String judge, Classification classification, String reason) {
    return new MetricResult(
        spec.name(),
        spec.group(),
        classification,
        false,
        judge,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        Map.of(),
        reason);
  }

  /**
   * Joins the results two judges gave the same metric: the most severe classification wins, the
   * statistics of both are kept, and both reasons are told.
   */
  MetricResult joinedWith(MetricResult other) {
    boolean otherWorse = other.classification.severity() > classification.severity();
    MetricResult worse = otherWorse ? other : this;
    MetricResult better = otherWorse ? this : other;
    String reasons =
        worse.classification == better.classification
            ? reason + "; " + other.reason
            : worse.reason + "; " + better.reason;
    return new MetricResult(
        name,
        group,
        worse.classification,
        criticalFailure || other.criticalFailure,
        judge + "+" + other.judge,
        firstNonNull(value, other.value),
        firstNonNull(pValue, other.pValue),
        firstNonNull(lowerBound, other.lowerBound),
        firstNonNull(upperBound, other.upperBound),
        firstNonNull(estimate, other.estimate),
        firstNonNull(effectSize, other.effectSize),
        firstNonNull(canary, other.canary),
        firstNonNull(baseline, other.baseline),
        merged(statistics, other.statistics),
        reasons);
  }

  private static Map<String, Double> merged(Map<String, Double> a, Map<String, Double> b) {
    Map<String, Double> all = new LinkedHashMap<>(b);
    all.putAll(a);
    return all;
  }

  private static <T> @Nullable T firstNonNull(@Nullable T a, @Nullable T b) {
    return a != null ? a : b;
  }
}
