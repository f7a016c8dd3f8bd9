package dev.aviary.controller.judgement;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.aviary.analysis.judge.Judgement;
import dev.aviary.analysis.judge.MetricResult;
import dev.aviary.analysis.stats.Summary;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A judgement as the API answers it and as rollout analyses store it. JSON has no NaN or infinity:
 * such numbers are written as null.
 *
 * @param verdict PASS, MARGINAL, FAIL, UNDECIDED (a sequential judge waits for more evidence) or
 *     NODATA
 * @param score 0..100
 * @param reason what decided the verdict
 * @param groupScores per group with at least one classified metric
 * @param metrics one result per metric, in input order
 * @param state what the sequential judges remember, per metric: send it back with the next window's
 *     data to go on (only in answers to {@code POST /api/v1/judgements})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JudgementDocument(
    String verdict,
    double score,
    @Nullable String reason,
    Map<String, Double> groupScores,
    List<MetricDocument> metrics,
    @Nullable Map<String, Map<String, Double>> state) {

  /**
   * How one metric was classified, and why; statistics a judge did not compute are left out.
   *
   * @param name the metric
   * @param group its scoring group
   * @param classification PASS, HIGH, LOW, UNDECIDED, NODATA or ERROR
   * @param criticalFailure a critical metric failed: the score is 0
   * @param judge which judge decided ({@code threshold}, {@code mann-whitney}, {@code sequential},
   *     or two joined by +)
   * @param value the canary's reduced value a threshold was compared with
   * @param pValue two-sided p-value of the comparison
   * @param confidenceInterval the interval of the shift canary - baseline, [lower, upper]; for the
   *     sequential judge the confidence sequence of the rate ratio
   * @param estimate the estimated shift; for the sequential judge the rate ratio
   * @param effectSize mean canary / mean baseline
   * @param canary the canary's values, summarised
   * @param baseline the baseline's values, summarised
   * @param statistics what the judge computed beyond these, by name: the sequential judge's counts
   *     so far ({@code canaryBad}, {@code canaryTotal}, ...), {@code ratio}, {@code ratioLower},
   *     {@code ratioUpper}, {@code harmEvidence}, {@code safetyEvidence}, {@code threshold}
   * @param reason one sentence a person can act on
   */
  @Schema(name = "MetricResult")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MetricDocument(
      String name,
      String group,
      String classification,
      boolean criticalFailure,
      String judge,
      @Nullable Double value,
      @Nullable Double pValue,
      @Nullable List<Double> confidenceInterval,
      @Nullable Double estimate,
      @Nullable Double effectSize,
      @Nullable SummaryDocument canary,
      @Nullable SummaryDocument baseline,
      @Nullable Map<String, Double> statistics,
      String reason) {

    static MetricDocument of(MetricResult r) {
      return new MetricDocument(
          r.name(),
          r.group(),
          r.classification().name(),
          r.criticalFailure(),
          r.judge(),
          finite(r.value()),
          finite(r.pValue()),
          r.lowerBound() != null && r.upperBound() != null
              ? Arrays.asList(finite(r.lowerBound()), finite(r.upperBound()))
              : null,
          finite(r.estimate()),
          finite(r.effectSize()),
          SummaryDocument.of(r.canary()),
          SummaryDocument.of(r.baseline()),
          r.statistics().isEmpty() ? null : finiteValues(r.statistics()),
          r.reason());
    }
  }

  /**
   * Values summarised.
   *
   * @param count how many
   * @param min smallest, null without values
   * @param max largest
   * @param mean mean
   * @param stdev sample standard deviation, null for fewer than two values
   */
  @Schema(name = "ValuesSummary")
  public record SummaryDocument(
      int count,
      @Nullable Double min,
      @Nullable Double max,
      @Nullable Double mean,
      @Nullable Double stdev) {
    static @Nullable SummaryDocument of(@Nullable Summary s) {
      return s == null
          ? null
          : new SummaryDocument(
              s.count(), finite(s.min()), finite(s.max()), finite(s.mean()), finite(s.stdev()));
    }
  }

  /** The judgement as stored with a rollout's analysis: without the judges' state. */
  public static JudgementDocument of(Judgement j) {
    return new JudgementDocument(
        j.verdict().name(),
        j.score(),
        j.reason(),
        j.groupScores(),
        j.metrics().stream().map(MetricDocument::of).toList(),
        null);
  }

  /** The judgement with what the sequential judges remember, to be sent back next time. */
  public static JudgementDocument withState(Judgement j) {
    JudgementDocument d = of(j);
    return new JudgementDocument(
        d.verdict, d.score, d.reason, d.groupScores, d.metrics, j.state().metrics());
  }

  private static Map<String, Double> finiteValues(Map<String, Double> values) {
    Map<String, Double> finite = new java.util.LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          if (Double.isFinite(v)) {
            finite.put(k, v);
          }
        });
    return finite;
  }

  private static @Nullable Double finite(@Nullable Double v) {
    return v == null || !Double.isFinite(v) ? null : v;
  }
}
