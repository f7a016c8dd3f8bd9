package dev.aviary.controller.rollout;

import dev.aviary.controller.plan.Hook;
import dev.aviary.controller.plan.Step;
import dev.aviary.controller.plan.StepHandler;
import dev.aviary.controller.plan.StepHandlers;
import dev.aviary.controller.plan.StepRun;
import dev.aviary.kernel.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Moves a progressing rollout through its plan's steps, each as its {@link StepHandler} says, and
 * promotes it after the last.
 */
final class StepWalker {

  private final TrafficReconciler traffic;
  private final ParallelRunGate parallelRuns;
  private final ReleaseGate gate;
  private final HookGates hooks;

  StepWalker(
      TrafficReconciler traffic, ParallelRunGate parallelRuns, ReleaseGate gate, HookGates hooks) {
    this.traffic = traffic;
    this.parallelRuns = parallelRuns;
    this.gate = gate;
    this.hooks = hooks;
  }

  /** Whether traffic may rise now; records a hold, or its end, as an event. */
  private boolean gateOpen(Tick t) {
    Optional<String> closed = gate.closed(t.plan, t.now);
    if (closed.isPresent()) {
      t.rollout.gateHeld(closed.get(), t.now);
      return false;
    }
    t.rollout.gateOpened(t.now);
    return true;
  }

  /**
   * Enters and completes steps until one holds, a new weight is wanted, or all are done. Answers
   * whether another tick is due at once.
   */
  boolean walk(Tick t) {
    Rollout r = t.rollout;
    List<Step> steps = t.plan.steps();
    Run run = new Run(t, parallelRuns, traffic);
    for (int guard = 0; guard <= steps.size() + 1 && r.phase() == Phase.PROGRESSING; guard++) {
      if (r.stepIndex() >= steps.size()) {
        return promote(t);
      }
      Step step = steps.get(r.stepIndex());
      if (!r.stepEntered()
          && step instanceof Step.SetWeight w
          && w.weight() > r.canaryWeight()
          && (!AnalysisPolicy.mayRaiseWeight(t)
              || !gateOpen(t)
              || !hooks.passed(
                  t,
                  w.weight() == 100
                      ? Hook.Point.BEFORE_PROMOTION
                      : Hook.Point.BEFORE_WEIGHT_INCREASE,
                  w.weight()))) {
        // traffic rises only after a passing analysis, not while held, and after the hooks' go
        return r.phase() == Phase.ROLLING_BACK;
      }
      if (!r.stepEntered()) {
        r.enterStep(StepHandlers.describe(step), t.now);
        StepHandler.Entry entry = StepHandlers.enter(step, run);
        if (entry == StepHandler.Entry.WEIGHT_WANTED) {
          return true; // committed first; the next tick drives the router
        }
        if (entry == StepHandler.Entry.PAUSED) {
          return false;
        }
      }
      if (!StepHandlers.complete(step, run)) {
        return r.phase() == Phase.ROLLING_BACK; // the way back starts at once
      }
      r.stepCompleted(t.now);
    }
    return false;
  }

  private boolean promote(Tick t) {
    Rollout r = t.rollout;
    if (r.desiredWeight() != 100
        && (!AnalysisPolicy.mayRaiseWeight(t)
            || !gateOpen(t)
            || !hooks.passed(t, Hook.Point.BEFORE_PROMOTION, 100))) {
      // full exposure, too, only after a passing analysis, not while held, after the hooks' go
      return r.phase() == Phase.ROLLING_BACK;
    }
    if (r.desiredWeight() != 100 || r.canaryWeight() != 100) {
      r.wantWeight(100);
      return true;
    }
    if (!traffic.finish(t, true)) {
      return false;
    }
    r.succeeded("promoted: the canary takes all traffic and is the stable version", t.now);
    return false;
  }

  /** The rollout as its current step sees it. */
  private static final class Run implements StepRun {
    private final Tick t;
    private final ParallelRunGate parallelRuns;
    private final TrafficReconciler traffic;

    Run(Tick t, ParallelRunGate parallelRuns, TrafficReconciler traffic) {
      this.t = t;
      this.parallelRuns = parallelRuns;
      this.traffic = traffic;
    }

    @Override
    public boolean parallelRunPassed(Step.ParallelRun step) {
      return parallelRuns.passed(t, step);
    }

    @Override
    public int canaryWeight() {
      return t.rollout.canaryWeight();
    }

    @Override
    public boolean hasAnalysis() {
      return t.plan.hasAnalysis();
    }

    @Override
    public int passingAnalyses() {
      return t.rollout.stepSuccesses();
    }

    @Override
    public @Nullable Instant stepStartedAt() {
      return t.rollout.stepStartedAt();
    }

    @Override
    public Instant now() {
      return t.now;
    }

    @Override
    public @Nullable Instant stepWaitingSince() {
      return t.rollout.stepWaitingSince();
    }

    @Override
    public void approvalNeeded(Step.Approval step) {
      Instant since = t.rollout.stepWaitingSince();
      t.rollout.approvalNeeded(
          StepHandlers.whoMayAnswer(step), step.deadline(since != null ? since : t.now), t.now);
    }

    @Override
    public void approvalTimedOut(Step.Approval step) {
      t.rollout.approvalTimedOut(
          step.onTimeout() == Step.Approval.OnTimeout.ROLLBACK,
          Durations.format(step.timeout()),
          t.now);
    }

    @Override
    public boolean routesApplied() {
      return traffic.reconcileRoutes(t);
    }

    @Override
    public void wantWeight(int weight) {
      t.rollout.wantWeight(weight);
    }

    @Override
    public void pause(@Nullable Duration duration) {
      t.rollout.pauseForStep(duration, t.now);
    }
  }
}
