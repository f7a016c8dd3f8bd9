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
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @Nullable List<MetricDocument> metrics) {

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
   * @param canary the canary's values
   * @param baseline the baseline's values; leave out with the threshold judge
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
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Double> canary,
      @Nullable List<Double> baseline) {}
}
