package dev.aviary.parallelrun;

import dev.aviary.parallelrun.report.ComparisonReport;
import dev.aviary.parallelrun.tally.Tally;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Counts results in a {@link Tally}, one endpoint per experiment, so that a {@link
 * dev.aviary.parallelrun.report.ControllerReporter} can send them to the controller and the same
 * gate that judges a comparing proxy judges the experiment. Skipped runs count as skipped; ignored
 * differences as matches.
 */
public final class TallyPublisher implements Publisher {

  private final Tally tally;

  public TallyPublisher(Tally tally) {
    this.tally = tally;
  }

  @Override
  public void publish(Result<?> result) {
    if (result.outcome() == Outcome.SKIPPED) {
      tally.skipped(result.experiment());
      return;
    }
    TreeSet<String> paths =
        result.outcome() == Outcome.IGNORED ? new TreeSet<>() : new TreeSet<>(result.paths());
    tally.compared(
        result.experiment(),
        paths,
        null,
        () ->
            new ComparisonReport.Sample(
                result.experiment(),
                List.copyOf(paths),
                "experiment " + result.experiment(),
                "",
                answer(result.control(), result.cleanedControl()),
                result.candidate() == null
                    ? new ComparisonReport.Answer(0, Map.of(), result.outcome().wireName())
                    : answer(result.candidate(), result.cleanedCandidate()),
                null,
                java.time.Instant.now()));
  }

  private static ComparisonReport.Answer answer(
      Observation<?> o, @org.jspecify.annotations.Nullable Object cleaned) {
    Throwable e = o.exception();
    String body =
        e != null ? e.getClass().getName() + ": " + e.getMessage() : String.valueOf(cleaned);
    return new ComparisonReport.Answer(
        0, Map.of(), body.length() > 2000 ? body.substring(0, 2000) : body);
  }
}
