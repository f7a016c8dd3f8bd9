package dev.aviary.controller.plan;

import dev.aviary.kernel.Durations;
import dev.aviary.kernel.SettingsReader;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** {@code {"pause": {"duration": "5m"}}}, or {@code {"pause": {}}} to wait for a person. */
final class PauseStep implements StepHandler<Step.Pause> {

  @Override
  public String kind() {
    return "pause";
  }

  @Override
  public Class<Step.Pause> type() {
    return Step.Pause.class;
  }

  @Override
  public Step.@Nullable Pause read(SettingsReader s, StepReading context) {
    Optional<SettingsReader> p = s.object(kind());
    if (p.isEmpty()) {
      if (s.raw().get(kind()) == null) {
        s.violation(
            kind(),
            "must be an object: {} to wait for a person, {\"duration\": \"5m\"} to wait that long");
      }
      return null;
    }
    Duration d = p.get().optionalDuration("duration");
    p.get().rejectUnknown();
    return new Step.Pause(d);
  }

  @Override
  public PlanDocument.StepDocument write(Step.Pause step) {
    Duration d = step.duration();
    return new PlanDocument.StepDocument(
        null, new PlanDocument.PauseDocument(d == null ? null : Durations.format(d)), null);
  }

  @Override
  public String describe(Step.Pause step) {
    Duration d = step.duration();
    return d == null ? "pause until resumed" : "pause " + Durations.format(d);
  }

  @Override
  public Entry enter(Step.Pause step, StepRun run) {
    run.pause(step.duration());
    return Entry.PAUSED;
  }

  /** A pause step met while progressing was resumed (or its time ran out). */
  @Override
  public boolean complete(Step.Pause step, StepRun run) {
    return true;
  }

  @Override
  public boolean completedByResume() {
    return true;
  }
}
