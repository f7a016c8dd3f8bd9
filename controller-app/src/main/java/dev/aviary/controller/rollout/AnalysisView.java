package dev.aviary.controller.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.aviary.controller.analysis.AnalysisOutcome;
import dev.aviary.controller.judgement.JudgementDocument;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One stored analysis of a rollout: the window, what was fetched, how it was judged, and what it
 * meant.
 *
 * @param id ascending within the rollout
 * @param at when it ran
 * @param step the step index then
 * @param weight the canary weight then
 * @param windowStart start of the judged window
 * @param windowEnd end of it
 * @param outcome what it meant for the rollout
 * @param result the judgement and the values, as stored
 */
public record AnalysisView(
    long id,
    Instant at,
    int step,
    int weight,
    Instant windowStart,
    Instant windowEnd,
    AnalysisOutcome outcome,
    Result result) {

  /**
   * The stored result: the judgement's fields, the values fetched, and the outcome.
   *
   * @param verdict the judgement's verdict
   * @param score its score
   * @param reason what decided it
   * @param groupScores per group
   * @param metrics per metric
   * @param values what was fetched, per metric
   * @param outcome what it meant for the rollout
   */
  public record Result(
      String verdict,
      double score,
      @Nullable String reason,
      Map<String, Double> groupScores,
      List<JudgementDocument.MetricDocument> metrics,
      List<MetricValues> values,
      String outcome) {}

  /**
   * What one metric fetched; gaps are null.
   *
   * @param metric its name
   * @param canary a series' canary values (empty for counts and histograms)
   * @param baseline a series' baseline values; absent when not compared
   * @param counts a count metric's window: {@code canaryBad}, {@code canaryTotal}, {@code
   *     baselineBad}, {@code baselineTotal}
   * @param histogram a latency histogram's window
   * @param error why fetching failed; absent when it did not
   * @param queries each query as it was sent for this window, labelled by side and part ({@code
   *     canary: …}, {@code baseline total: …}) — run one by hand when a metric has no data;
   *     credential-like URL parameters are masked. Absent in analyses stored before Aviary kept
   *     them.
   */
  @Schema(name = "MetricValues")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MetricValues(
      String metric,
      List<Double> canary,
      @Nullable List<Double> baseline,
      @Nullable Map<String, Double> counts,
      @Nullable HistogramValues histogram,
      @Nullable String error,
      @Nullable List<String> queries) {}

  /**
   * A latency histogram of one window.
   *
   * @param bounds the buckets' upper bounds; null is +Inf
   * @param canary the canary's cumulative count per bound
   * @param baseline the baseline's cumulative count per bound
   */
  @Schema(name = "HistogramValues")
  public record HistogramValues(
      List<@Nullable Double> bounds, List<Double> canary, List<Double> baseline) {}
}
