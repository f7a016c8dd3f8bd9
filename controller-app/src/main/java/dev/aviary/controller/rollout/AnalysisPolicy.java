package dev.aviary.controller.rollout;

import dev.aviary.controller.analysis.AnalysisOutcome;
import dev.aviary.controller.analysis.AnalysisRun;
import dev.aviary.controller.analysis.AnalysisRunner;
import dev.aviary.controller.analysis.QueryVariables;
import dev.aviary.controller.plan.AnalysisSpec;
import dev.aviary.controller.plan.Step;
import dev.aviary.controller.platform.Actors;
import dev.aviary.kernel.Durations;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * When a rollout is judged and what the judgement does to it: an analysis is due once an interval
 * of data after the warm-up of the current weight is in; its outcome is counted, and the plan's
 * limits applied — past {@code failureLimit} roll back, past {@code consecutiveErrorLimit} roll
 * back or pause as {@code errorAction} says, past {@code inconclusiveLimit} pause for a person. A
 * rollout that makes no progress for {@code progressDeadline} is rolled back.
 */
final class AnalysisPolicy {

  private final AnalysisRunner analyses;
  private final AnalysisLog log;
  private final TickCounters counters;

  AnalysisPolicy(AnalysisRunner analyses, AnalysisLog log, TickCounters counters) {
    this.analyses = analyses;
    this.log = log;
    this.counters = counters;
  }

  /** Rolls back a progressing rollout past its progress deadline; answers whether it did. */
  boolean enforceDeadline(Tick t) {
    Rollout r = t.rollout;
    if (r.phase() != Phase.PROGRESSING || !deadlinePassed(t)) {
      return false;
    }
    r.rollBack(
        RollbackCause.NO_PROGRESS,
        "no progress for " + Durations.format(t.plan.progressDeadline()) + " (progressDeadline)",
        Actors.SCHEDULER,
        t.now);
    return true;
  }

  private static boolean deadlinePassed(Tick t) {
    if (awaitsApproval(t) || t.rollout.gateHold() != null) {
      return false; // waiting for a person, or held by a freeze or a window, is not a stall
    }
    Instant last = t.rollout.lastProgressAt();
    return last != null && t.now.isAfter(last.plus(t.plan.progressDeadline()));
  }

  /** Whether the rollout stands in an approval step it has entered. */
  static boolean awaitsApproval(Tick t) {
    Rollout r = t.rollout;
    return r.stepEntered()
        && r.stepIndex() < t.plan.steps().size()
        && t.plan.steps().get(r.stepIndex()) instanceof Step.Approval;
  }

  /**
   * Acts on a step that has waited undecided — the sequential judge proving neither harm nor safety
   * — for the analysis's {@code maxDuration} since the step began or a person last resumed it:
   * pauses for a person or rolls back, as {@code onUndecided} says. Answers whether it acted.
   */
  boolean enforceMaxDuration(Tick t) {
    Rollout r = t.rollout;
    AnalysisSpec spec = t.plan.analysis();
    if (spec == null
        || r.phase() != Phase.PROGRESSING
        || r.stepIndex() >= t.plan.steps().size()
        || !waitsOnAnalysis(t.plan.steps().get(r.stepIndex()))
        || !"UNDECIDED".equals(r.lastVerdict())) {
      return false;
    }
    Instant since = r.stepWaitingSince();
    if (since == null || t.now.isBefore(since.plus(spec.maxDuration()))) {
      return false;
    }
    String why =
        "the analysis stayed undecided for "
            + Durations.format(spec.maxDuration())
            + " (maxDuration): neither harm nor safety proven";
    if (spec.onUndecided() == AnalysisSpec.UndecidedAction.ROLLBACK) {
      r.rollBack(
          RollbackCause.UNDECIDED, why + "; onUndecided is rollback", Actors.SCHEDULER, t.now);
    } else {
      r.pauseInconclusive(
          "paused for a person: " + why + "; promote, abort, or resume to wait longer", t.now);
    }
    return true;
  }

  /**
   * Whether traffic may rise, or a timed pause end: with analysis, only when the last analysis at
   * the current weight passed. Missing data, an error, an inconclusive or undecided analysis hold
   * the weight where it is. At 0 % there is nothing to judge yet; at 100 % nothing to raise.
   */
  static boolean mayRaiseWeight(Tick t) {
    Rollout r = t.rollout;
    int w = r.canaryWeight();
    return !t.plan.hasAnalysis() || w <= 0 || w >= 100 || r.lastAnalysisPassed();
  }

  /** An analysis step, or a weight below 100 %, completes only on a passing analysis. */
  private static boolean waitsOnAnalysis(Step step) {
    return step instanceof Step.Analysis
        || (step instanceof Step.SetWeight w && w.weight() > 0 && w.weight() < 100);
  }

  /** Runs an analysis if one is due and applies the limits; answers whether a limit acted. */
  boolean judgeIfDue(Tick t) {
    AnalysisSpec spec = t.plan.analysis();
    Instant start = windowStart(t);
    if (spec == null || start == null || !due(t, spec, start)) {
      return false;
    }
    return applyLimits(t, spec, analyse(t, spec, start));
  }

  private static boolean due(Tick t, AnalysisSpec spec, Instant windowStart) {
    Rollout r = t.rollout;
    if (r.desiredWeight() != r.canaryWeight()) {
      return false;
    }
    boolean onAnalysisStep =
        r.stepIndex() < t.plan.steps().size()
            && t.plan.steps().get(r.stepIndex()) instanceof Step.Analysis;
    if ((r.canaryWeight() == 0 || r.canaryWeight() == 100) && !onAnalysisStep) {
      return false; // no canary traffic, or no baseline traffic: nothing to compare
    }
    return !t.now.isBefore(windowStart.plus(spec.interval()));
  }

  /**
   * Where the next window starts: after the warm-up of the current weight, or the end of the last
   * window; null when the plan judges nothing or no weight was applied yet.
   */
  static @Nullable Instant windowStart(Tick t) {
    Rollout r = t.rollout;
    AnalysisSpec spec = t.plan.analysis();
    Instant changed = r.weightChangedAt();
    if (!t.plan.hasAnalysis() || spec == null || changed == null) {
      return null;
    }
    Instant afterWarmup = changed.plus(spec.warmup());
    Instant last = r.lastAnalysisEnd();
    return last != null && last.isAfter(afterWarmup) ? last : afterWarmup;
  }

  /** When the next window is complete; null when no analysis is coming. */
  static @Nullable Instant nextWindowEnd(Tick t) {
    Instant start = windowStart(t);
    AnalysisSpec spec = t.plan.analysis();
    return start == null || spec == null ? null : start.plus(spec.interval());
  }

  private AnalysisRun analyse(Tick t, AnalysisSpec spec, Instant start) {
    Rollout r = t.rollout;
    QueryVariables variables =
        QueryVariables.of(r.planName(), r.id().toString(), r.canary(), r.baseline(), t.plan)
            .onStableGroup(r.slot() == Slot.STABLE);
    AnalysisRun run = analyses.run(spec, variables, start, t.now, r.judgeState());
    log.record(r, run, t.now);
    counters.analysed(run.outcome());
    r.analysed(
        run.outcome(),
        run.judgement().verdict().name(),
        run.judgement().score(),
        run.judgement().state(),
        t.now,
        run.summary(),
        t.now);
    return run;
  }

  private boolean applyLimits(Tick t, AnalysisSpec a, AnalysisRun run) {
    Rollout r = t.rollout;
    if (run.outcome() == AnalysisOutcome.FAILURE && r.failures() > a.failureLimit()) {
      r.rollBack(
          RollbackCause.CANARY_FAILED,
          "analysis failed "
              + r.failures()
              + " time(s), more than failureLimit "
              + a.failureLimit()
              + ": "
              + run.summary(),
          Actors.SCHEDULER,
          t.now);
      return true;
    }
    if (run.outcome() == AnalysisOutcome.ERROR
        && r.consecutiveErrors() > a.consecutiveErrorLimit()) {
      String why =
          "could not judge the canary: its metrics could not be fetched "
              + r.consecutiveErrors()
              + " times in a row, more than consecutiveErrorLimit "
              + a.consecutiveErrorLimit()
              + " ("
              + run.summary()
              + ")";
      if (a.errorAction() == AnalysisSpec.ErrorAction.PAUSE) {
        if (r.phase() == Phase.PROGRESSING) {
          r.pauseInconclusive(
              "paused for a person: "
                  + why
                  + "; nothing is known about the canary: fix the metrics, then resume, or abort",
              t.now);
        }
      } else {
        r.rollBack(
            RollbackCause.NOT_JUDGED, why + "; errorAction is rollback", Actors.SCHEDULER, t.now);
      }
      return true;
    }
    if (run.outcome() == AnalysisOutcome.INCONCLUSIVE
        && r.inconclusives() > a.inconclusiveLimit()
        && r.phase() == Phase.PROGRESSING) {
      r.pauseInconclusive(
          "paused for a person: "
              + r.inconclusives()
              + " inconclusive analyses, more than inconclusiveLimit "
              + a.inconclusiveLimit()
              + " ("
              + run.summary()
              + ")",
          t.now);
      return true;
    }
    return false;
  }
}
