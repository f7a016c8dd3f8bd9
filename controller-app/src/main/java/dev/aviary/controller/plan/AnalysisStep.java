package dev.aviary.controller.plan;

import dev.aviary.kernel.Durations;
import dev.aviary.kernel.SettingsReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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
  public Step.Analysis read(SettingsReader s, StepReading context) {
    Optional<SettingsReader> a = s.object(kind());
    if (a.isEmpty()) {
      if (s.raw().get(kind()) == null) {
        s.violation(kind(), "must be an object such as {\"count\": 3}");
      }
      return null;
    }
    Integer count = a.get().integer("count", 1, 1, 1000);
    Duration d = a.get().duration("duration", null);
    a.get().rejectUnknown();
    if (!context.hasAnalysis()) {
      s.violation(kind(), "needs the plan's analysis section with at least one metric");
    }
    return new Step.Analysis(count == null ? 1 : count, d);
  }

  @Override
  public Object write(Step.Analysis step) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", step.count());
    if (step.duration() != null) {
      m.put("duration", Durations.format(step.duration()));
    }
    return m;
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
    return run.passingAnalyses() >= step.count()
        && (step.duration() == null
            || !run.now().isBefore(run.stepStartedAt().plus(step.duration())));
  }
}
