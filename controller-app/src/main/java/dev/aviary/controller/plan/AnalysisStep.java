package dev.aviary.controller.plan;

import dev.aviary.kernel.Durations;
import dev.aviary.kernel.SettingsReader;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code {"analysis": {"count": 3, "duration": "10m"}}}: hold at the current weight until that many
 * analyses passed and, if set, that long has gone by.
 */
final class AnalysisStep implements StepHandler<Step.Analysis> {

  @Override
  public String kind() {
    return "analysis";
  }

  @Override
  public Class<Step.Analysis> type() {
    return Step.Analysis.class;
  }

  @Override
  public Step.@Nullable Analysis read(SettingsReader s, StepReading context) {
    Optional<SettingsReader> a = s.object(kind());
    if (a.isEmpty()) {
      if (s.raw().get(kind()) == null) {
        s.violation(kind(), "must be an object such as {\"count\": 3}");
      }
      return null;
    }
    Integer count = a.get().integer("count", 1, 1, 1000);
    Duration d = a.get().optionalDuration("duration");
    a.get().rejectUnknown();
    if (!context.hasAnalysis()) {
      s.violation(kind(), "needs the plan's analysis section with at least one metric");
    }
    return new Step.Analysis(count == null ? 1 : count, d);
  }

  @Override
  public PlanDocument.StepDocument write(Step.Analysis step) {
    return new PlanDocument.StepDocument(
        null,
        null,
        new PlanDocument.AnalysisStepDocument(
            step.count(), step.duration() == null ? null : Durations.format(step.duration())));
  }

  @Override
  public String describe(Step.Analysis step) {
    return "analysis, "
        + step.count()
        + " passing tick(s)"
        + (step.duration() == null ? "" : " over at least " + Durations.format(step.duration()));
  }

  @Override
  public Entry enter(Step.Analysis step, StepRun run) {
    return Entry.CONTINUE;
  }

  @Override
  public boolean complete(Step.Analysis step, StepRun run) {
    Duration least = step.duration();
    Instant started = run.stepStartedAt();
    return run.passingAnalyses() >= step.count()
        && (least == null || (started != null && !run.now().isBefore(started.plus(least))));
  }
}
