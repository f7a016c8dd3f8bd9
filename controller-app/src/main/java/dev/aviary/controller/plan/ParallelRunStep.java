package dev.aviary.controller.plan;

import dev.aviary.kernel.Durations;
import dev.aviary.kernel.SettingsReader;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code {"parallelRun": {"duration": "5m", "sample": 1.0, "maxMismatchRate": 0.01,
 * "minComparisons": 1000}}}: compare before any traffic moves; see {@link Step.ParallelRun}.
 */
final class ParallelRunStep implements StepHandler<Step.ParallelRun> {

  static final double DEFAULT_RELATIVE = 0.2;
  static final double DEFAULT_ABSOLUTE = 0.0003;

  /** A new version's first answers come from a cold process: not judged. */
  static final Duration DEFAULT_WARMUP = Duration.ofSeconds(10);

  @Override
  public String kind() {
    return "parallelRun";
  }

  @Override
  public Class<Step.ParallelRun> type() {
    return Step.ParallelRun.class;
  }

  @Override
  public Step.@Nullable ParallelRun read(SettingsReader s, StepReading context) {
    Optional<SettingsReader> o = s.object(kind());
    if (o.isEmpty()) {
      if (s.raw().get(kind()) == null) {
        s.violation(
            kind(),
            "must be an object such as {\"duration\": \"5m\", \"maxMismatchRate\": 0.01,"
                + " \"minComparisons\": 1000}");
      }
      return null;
    }
    SettingsReader p = o.get();
    Duration warmup = p.duration("warmup", DEFAULT_WARMUP, true);
    Duration duration = p.duration("duration", Duration.ofMinutes(5));
    double sample = p.number("sample", 1.0, 0.0001, 1);
    double max = p.number("maxMismatchRate", 0.01, 0, 0.99);
    int min = p.integer("minComparisons", 1000, 1, 1_000_000_000);
    Duration maxDuration = p.duration("maxDuration", warmup.plus(duration.multipliedBy(3)));
    double relative = DEFAULT_RELATIVE;
    double absolute = DEFAULT_ABSOLUTE;
    Optional<SettingsReader> noise = p.object("noise");
    if (noise.isPresent()) {
      relative = noise.get().number("relative", DEFAULT_RELATIVE, 0, 0.99);
      absolute = noise.get().number("absolute", DEFAULT_ABSOLUTE, 0, 0.99);
      noise.get().rejectUnknown();
    }
    p.rejectUnknown();
    if (maxDuration.compareTo(duration) < 0) {
      p.violation(
          "maxDuration", "must not be shorter than duration (" + Durations.format(duration) + ")");
      return null;
    }
    if (context.previousWeight() > 0) {
      s.violation(
          kind(),
          "must come before any traffic moves: the weight is already "
              + context.previousWeight()
              + " at "
              + context.previousWeightAt()
              + "; a parallel run answers every caller from the trusted version");
      return null;
    }
    return new Step.ParallelRun(
        warmup, duration, sample, max, min, maxDuration, relative, absolute);
  }

  @Override
  public PlanDocument.StepDocument write(Step.ParallelRun step) {
    return new PlanDocument.StepDocument(
        null,
        null,
        null,
        new PlanDocument.ParallelRunDocument(
            Durations.format(step.warmup()),
            Durations.format(step.duration()),
            step.sample(),
            step.maxMismatchRate(),
            step.minComparisons(),
            Durations.format(step.maxDuration()),
            new PlanDocument.NoiseDocument(step.noiseRelative(), step.noiseAbsolute())),
        null);
  }

  @Override
  public String describe(Step.ParallelRun step) {
    return "parallelRun "
        + Durations.format(step.duration())
        + ", at most "
        + String.format(java.util.Locale.ROOT, "%.2f %%", step.maxMismatchRate() * 100)
        + " mismatching over at least "
        + step.minComparisons()
        + " comparisons";
  }

  @Override
  public Entry enter(Step.ParallelRun step, StepRun run) {
    return Entry.CONTINUE;
  }

  @Override
  public boolean complete(Step.ParallelRun step, StepRun run) {
    return run.parallelRunPassed(step);
  }
}
