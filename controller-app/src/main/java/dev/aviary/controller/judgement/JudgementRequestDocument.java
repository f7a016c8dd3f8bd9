package dev.aviary.controller.judgement;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The shape of a judgement request, as {@link JudgementRequestReader} reads it: the judge, the
 * score thresholds and group weights, and each metric with its options and data.
 *
 * @param judge {@code type} and that judge's options; mann-whitney by default
 * @param thresholds score thresholds
 * @param groupWeights weights of the metric groups, in percent
 * @param metrics each metric's options and data
 * @param state what the sequential judges remembered, as the previous answer returned it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(
    example =
        "{\"judge\": {\"type\": \"mann-whitney\"}, \"metrics\": [{\"name\": \"latency-p95\","
            + " \"direction\": \"increase\", \"canary\": [212, 230, 218, 241, 226], \"baseline\":"
            + " [120, 118, 125, 121, 119]}]}")
public record JudgementRequestDocument(
    @Schema(example = "{\"type\": \"mann-whitney\", \"confidence\": 0.98, \"tolerance\": 0.25}")
        @Nullable Map<String, Object> judge,
    @Nullable ThresholdsDocument thresholds,
    @Nullable Map<String, Double> groupWeights,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @Nullable List<MetricDocument> metrics,
    @Nullable Map<String, Map<String, Double>> state) {

  /**
   * Score thresholds.
   *
   * @param pass at or above: PASS (95)
   * @param marginal at or above: MARGINAL (75)
   */
  @Schema(name = "JudgementScoreThresholds")
  public record ThresholdsDocument(@Nullable Double pass, @Nullable Double marginal) {}

  /**
   * One metric: its options (as in a plan) and its data. Gaps in the data are null.
   *
   * @param name unique within the request
   * @param group scoring group
   * @param weight weight within its group
   * @param direction increase, decrease or either
   * @param critical a failure fails the judgement
   * @param mustHaveData no data counts as a failure
   * @param muted judged, left out of the score
   * @param nanStrategy remove or replace
   * @param outliers outlier removal
   * @param effectSize mean-ratio gates
   * @param min threshold: below is LOW
   * @param max threshold: above is HIGH
   * @param reducer how the canary's values become one for the threshold
   * @param judge this metric's judge, when it is not the request's
   * @param canary the canary's values, for a series
   * @param baseline the baseline's values, for a series; leave out with the threshold judge
   * @param counts for a count metric, each side's bad and all events of the window
   * @param histogram for a latency histogram, the bucket bounds and each side's cumulative counts
   */
  @Schema(name = "JudgementMetric")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MetricDocument(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String name,
      @Nullable String group,
      @Nullable Double weight,
      @Schema(allowableValues = {"increase", "decrease", "either"}) @Nullable String direction,
      @Nullable Boolean critical,
      @Nullable Boolean mustHaveData,
      @Nullable Boolean muted,
      @Schema(allowableValues = {"remove", "replace"}) @Nullable String nanStrategy,
      @Nullable Map<String, Object> outliers,
      @Nullable Map<String, Double> effectSize,
      @Nullable Double min,
      @Nullable Double max,
      @Nullable String reducer,
      @Nullable Map<String, Object> judge,
      @Nullable List<Double> canary,
      @Nullable List<Double> baseline,
      @Nullable CountsDocument counts,
      @Nullable HistogramDocument histogram) {}

  /**
   * A count metric's window: bad events and all events on each side.
   *
   * @param canary the canary's counts
   * @param baseline the baseline's counts
   */
  @Schema(name = "JudgementCounts")
  public record CountsDocument(SideCounts canary, SideCounts baseline) {}

  /**
   * One side's counts of a window.
   *
   * @param bad bad events (errors, slow requests)
   * @param total all events
   */
  @Schema(name = "JudgementSideCounts")
  public record SideCounts(double bad, double total) {}

  /**
   * A latency histogram of a window, as Prometheus keeps it.
   *
   * @param bounds the buckets' upper bounds in increasing order; the last may be "+Inf"
   * @param canary the canary's cumulative count per bound
   * @param baseline the baseline's cumulative count per bound
   */
  @Schema(name = "JudgementHistogram")
  public record HistogramDocument(
      @Schema(example = "[0.1, 0.25, 0.5, \"+Inf\"]") List<Object> bounds,
      List<Double> canary,
      List<Double> baseline) {}
}
