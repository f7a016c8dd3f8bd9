package dev.aviary.controller.analysis;

import dev.aviary.analysis.judge.Counts;
import dev.aviary.analysis.judge.Histogram;
import dev.aviary.analysis.judge.Judgement;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One analysis tick: the values fetched, the judgement, and what it means for the rollout.
 *
 * @param outcome success, failure, inconclusive, or error (a backend could not answer)
 * @param judgement the engine's verdict, score and per-metric results
 * @param values what was fetched, per metric
 * @param start start of the window
 * @param end end of the window
 * @param summary one line for the audit trail
 */
public record AnalysisRun(
    AnalysisOutcome outcome,
    Judgement judgement,
    List<MetricValues> values,
    Instant start,
    Instant end,
    String summary) {

  /**
   * What one metric fetched.
   *
   * @param metric its name
   * @param canary the canary's values (NaN for gaps)
   * @param baseline the baseline's values, or null when not compared
   * @param counts a count metric's counts of the window, or null
   * @param histogram a latency histogram of the window, or null
   * @param error why fetching failed, or null
   * @param queries each query as sent to the backend, rendered with the window's values and
   *     labelled ({@code canary: …}, {@code baseline bad: …}); never a credential
   */
  @SuppressWarnings("ArrayRecordComponent") // handed from fetch to storage, never compared
  public record MetricValues(
      String metric,
      double[] canary,
      double @Nullable [] baseline,
      @Nullable Counts counts,
      @Nullable Histogram histogram,
      @Nullable String error,
      List<String> queries) {

    public MetricValues {
      queries = List.copyOf(queries);
    }

    MetricValues(
        String metric,
        double[] canary,
        double @Nullable [] baseline,
        @Nullable Counts counts,
        @Nullable Histogram histogram,
        @Nullable String error) {
      this(metric, canary, baseline, counts, histogram, error, List.of());
    }

    MetricValues withQueries(List<String> rendered) {
      return new MetricValues(metric, canary, baseline, counts, histogram, error, rendered);
    }
  }
}
