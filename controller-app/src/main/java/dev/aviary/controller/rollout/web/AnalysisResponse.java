package dev.aviary.controller.rollout.web;

import dev.aviary.controller.analysis.AnalysisOutcome;
import dev.aviary.controller.judgement.JudgementDocument;
import dev.aviary.controller.rollout.AnalysisView;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One analysis of a rollout: the window, what it meant, how each metric was judged and what was
 * fetched.
 *
 * @param id ascending within the rollout; page with {@code after}
 * @param at when it ran
 * @param step the step index then
 * @param weight the canary weight then
 * @param window the judged window
 * @param outcome SUCCESS, FAILURE, INCONCLUSIVE or ERROR
 * @param verdict the judgement's verdict
 * @param score its score
 * @param reason what decided it
 * @param groupScores per group
 * @param metrics per metric
 * @param values what was fetched, per metric
 */
record AnalysisResponse(
    long id,
    Instant at,
    int step,
    int weight,
    Window window,
    AnalysisOutcome outcome,
    String verdict,
    double score,
    @Nullable String reason,
    Map<String, Double> groupScores,
    List<JudgementDocument.MetricDocument> metrics,
    List<AnalysisView.MetricValues> values) {

  /**
   * A time window.
   *
   * @param start its start
   * @param end its end
   */
  @Schema(name = "TimeWindow")
  record Window(Instant start, Instant end) {}

  static AnalysisResponse of(AnalysisView a) {
    AnalysisView.Result r = a.result();
    return new AnalysisResponse(
        a.id(),
        a.at(),
        a.step(),
        a.weight(),
        new Window(a.windowStart(), a.windowEnd()),
        a.outcome(),
        r.verdict(),
        r.score(),
        r.reason(),
        r.groupScores(),
        r.metrics(),
        r.values());
  }
}
