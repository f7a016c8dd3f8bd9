package dev.aviary.controller.parallelrun.web;

import dev.aviary.controller.parallelrun.ComparisonService;
import dev.aviary.controller.rollout.ParallelRuns;
import dev.aviary.parallelrun.report.ComparisonReport;
import dev.aviary.parallelrun.tally.ComparisonSummary;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A rollout's parallel run.
 *
 * @param rolloutId the rollout
 * @param step the one-based number of its parallel-run step
 * @param active whether the rollout is in that step now
 * @param verdict while active: WAIT (the duration is not up), NODATA (too few comparisons),
 *     UNDECIDED (more are needed); absent otherwise
 * @param reason the decision, or the summary, in words
 * @param maxMismatchRate the step's limit
 * @param comparisons requests compared (since the step began while it runs; since the rollout began
 *     afterwards)
 * @param matches answered alike
 * @param noisy differed only in noise
 * @param mismatches differed in a field that is not noise
 * @param mismatchRate mismatches over comparisons
 * @param candidateErrors requests the candidate did not answer
 * @param skipped sampled but not mirrored (bounds)
 * @param endpoints per endpoint and field path
 * @param samples the latest mismatching exchanges, redacted
 */
@Schema(name = "Comparisons")
record ComparisonsResponse(
    UUID rolloutId,
    int step,
    boolean active,
    @Nullable String verdict,
    String reason,
    double maxMismatchRate,
    long comparisons,
    long matches,
    long noisy,
    long mismatches,
    double mismatchRate,
    long candidateErrors,
    long skipped,
    List<ComparisonSummary.EndpointSummary> endpoints,
    List<ComparisonReport.Sample> samples) {

  static ComparisonsResponse of(ComparisonService.Comparisons c) {
    ParallelRuns.State st = c.state();
    ComparisonSummary s = st.summary();
    return new ComparisonsResponse(
        c.rolloutId(),
        st.step(),
        st.active(),
        st.verdict(),
        st.reason(),
        st.maxMismatchRate(),
        s.comparisons(),
        s.matches(),
        s.noisy(),
        s.mismatches(),
        s.mismatchRate(),
        s.candidateErrors(),
        s.skipped(),
        s.endpoints(),
        c.samples());
  }
}
