package dev.aviary.controller.rollout;

import dev.aviary.analysis.parallelrun.MismatchRateGate;
import dev.aviary.controller.plan.Step;
import dev.aviary.controller.platform.Actors;
import dev.aviary.kernel.Durations;
import dev.aviary.parallelrun.tally.ComparisonSummary;
import dev.aviary.parallelrun.tally.NoiseThresholds;
import java.time.Instant;

/**
 * Judges a rollout's parallel-run step on the comparisons reported since it began ({@link
 * MismatchRateGate}, α = 1 %): rolls back as soon as the mismatch rate is proven above the step's
 * limit, passes once it is shown below after the step's duration, and pauses for a person when the
 * step is still undecided, or has too few comparisons, at its {@code maxDuration}.
 */
final class ParallelRunGate {

  static final double ALPHA = 0.01;

  private final ComparisonTotals totals;

  ParallelRunGate(ComparisonTotals totals) {
    this.totals = totals;
  }

  /** The decision for {@code step} now, without acting on it. */
  static MismatchRateGate.Decision decide(
      ComparisonSummary s, Step.ParallelRun step, Instant started, Instant now) {
    if (now.isBefore(judgedFrom(step, started))) {
      return new MismatchRateGate.Decision(
          MismatchRateGate.Verdict.WAIT,
          "warming up: comparisons count from "
              + Durations.format(step.warmup())
              + " after the step began",
          0,
          0);
    }
    return MismatchRateGate.decide(
        s.mismatches(),
        s.comparisons(),
        step.maxMismatchRate(),
        step.minComparisons(),
        ALPHA,
        !now.isBefore(judgedFrom(step, started).plus(step.duration())));
  }

  /** Comparisons reported from then on are judged: after the warm-up of a cold candidate. */
  static Instant judgedFrom(Step.ParallelRun step, Instant started) {
    return started.plus(step.warmup());
  }

  static NoiseThresholds noise(Step.ParallelRun step) {
    return new NoiseThresholds(step.noiseRelative(), step.noiseAbsolute());
  }

  /** Answers whether the step passed; rolls back or pauses the rollout as the decision says. */
  boolean passed(Tick t, Step.ParallelRun step) {
    Rollout r = t.rollout;
    Instant started = r.stepStartedAt();
    if (started == null) {
      return false;
    }
    if (t.now.isBefore(judgedFrom(step, started))) {
      return false;
    }
    ComparisonSummary s = totals.since(r.id(), judgedFrom(step, started), noise(step));
    MismatchRateGate.Decision d = decide(s, step, started, t.now);
    // maxDuration counts from the step's start or from a person's last resume ("compare longer")
    Instant waiting = r.stepWaitingSince();
    boolean overdue =
        !t.now.isBefore((waiting != null ? waiting : started).plus(step.maxDuration()));
    switch (d.verdict()) {
      case FAIL -> {
        r.parallelRunJudged("FAIL: " + d.reason(), t.now);
        r.rollBack(
            RollbackCause.PARALLEL_RUN_MISMATCH,
            "the parallel run found the candidate answering differently: " + d.reason() + top(s),
            Actors.SCHEDULER,
            t.now);
        return false;
      }
      case PASS -> {
        r.parallelRunJudged("PASS: " + d.reason(), t.now);
        return true;
      }
      case NODATA, UNDECIDED -> {
        if (overdue) {
          r.parallelRunJudged(d.verdict() + ": " + d.reason(), t.now);
          r.pauseInconclusive(
              "paused for a person after "
                  + Durations.format(step.maxDuration())
                  + " (maxDuration) of parallel run: "
                  + d.reason()
                  + "; promote, abort, or resume to compare longer",
              t.now);
        }
        return false;
      }
      default -> {
        return false;
      }
    }
  }

  /** The field that differed most often, for the rollback's reason. */
  private static String top(ComparisonSummary s) {
    for (ComparisonSummary.EndpointSummary e : s.endpoints()) {
      for (ComparisonSummary.FieldSummary f : e.fields()) {
        if (!f.noise()) {
          return "; most often at "
              + f.path()
              + " of "
              + e.endpoint()
              + " ("
              + f.candidateDiffs()
              + " times)";
        }
      }
    }
    return "";
  }
}
