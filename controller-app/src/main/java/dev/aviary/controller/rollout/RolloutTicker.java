package dev.aviary.controller.rollout;

import dev.aviary.analysis.judge.JudgeState;
import dev.aviary.controller.analysis.AnalysisOutcome;
import dev.aviary.controller.analysis.AnalysisRun;
import dev.aviary.controller.analysis.AnalysisRunner;
import dev.aviary.controller.plan.AnalysisSpec;
import dev.aviary.controller.plan.PlanSpec;
import dev.aviary.controller.plan.Step;
import dev.aviary.controller.platform.Actors;
import dev.aviary.controller.platform.RemoteCalls;
import dev.aviary.controller.routing.RouterTarget;
import dev.aviary.controller.routing.TrafficRouter;
import dev.aviary.controller.routing.TrafficRouters;
import dev.aviary.kernel.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * One tick of one rollout: bring the router to the committed desired weight, judge the canary when
 * an interval's data is in, apply the plan's limits, and move through the steps.
 *
 * <p>The rule that makes a crash at any instant harmless: the router is only ever asked for a
 * weight that is already committed as the desired weight. A tick that decides a new weight records
 * it and ends; the next tick, due at once, drives the router there. After a crash between the
 * router call and the commit, the next tick finds the router already at the desired weight and only
 * records it, so no weight is skipped, none is set backwards, and none is changed twice.
 */
@Component
class RolloutTicker {

  private final TrafficRouters routers;
  private final AnalysisRunner analyses;
  private final RemoteCalls remote;
  private final RolloutStore store;
  private final Duration idleTick;
  private final int routerFailureLimit;
  private final RolloutMetrics metrics;

  RolloutTicker(
      TrafficRouters routers,
      AnalysisRunner analyses,
      RemoteCalls remote,
      RolloutStore store,
      @Value("${aviary.rollouts.idle-tick:5s}") Duration idleTick,
      @Value("${aviary.rollouts.router-failure-limit:3}") int routerFailureLimit,
      RolloutMetrics metrics) {
    this.routers = routers;
    this.analyses = analyses;
    this.remote = remote;
    this.store = store;
    this.idleTick = idleTick;
    this.routerFailureLimit = routerFailureLimit;
    this.metrics = metrics;
  }

  /** Works the rollout once, then sets when it is next due. */
  void tick(Rollout r, PlanSpec plan, Instant now) {
    Drive drive = new Drive(r, plan, now);
    boolean again;
    switch (r.phase()) {
      case PENDING -> {
        r.begin(now);
        again = drive.progress();
      }
      case PROGRESSING, PAUSED -> again = drive.progress();
      case ROLLING_BACK -> again = drive.rollBackTraffic();
      default -> again = false;
    }
    r.scheduleNextTick(again ? now : drive.nextRegularTick());
  }

  /** The work of one tick on one rollout. Methods answer whether another tick is due at once. */
  private final class Drive {
    private final Rollout r;
    private final PlanSpec plan;
    private final Instant now;
    private final TrafficRouter router;
    private final String backend;
    private boolean routerFailedThisTick;

    Drive(Rollout r, PlanSpec plan, Instant now) {
      this.r = r;
      this.plan = plan;
      this.now = now;
      this.router =
          routers
              .find(plan.router().type())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "router type " + plan.router().type() + " is no longer known"))
              .create(new RouterTarget(r.planName(), r.id().toString()), plan.router().settings());
      this.backend = "router-" + plan.router().type() + "-" + r.planName();
    }

    boolean progress() {
      if (!reconcile()) {
        return false;
      }
      if (r.phase() == Phase.PROGRESSING && deadlinePassed()) {
        r.rollBack(
            "no progress for " + Durations.format(plan.progressDeadline()) + " (progressDeadline)",
            Actors.SCHEDULER,
            now);
        return true;
      }
      if (analysisDue()) {
        AnalysisRun run = analyse();
        if (applyLimits(run)) {
          return r.phase() == Phase.ROLLING_BACK;
        }
      }
      if (r.phase() == Phase.PAUSED) {
        if (r.pauseUntil() == null || now.isBefore(r.pauseUntil())) {
          return false;
        }
        r.timedPauseEnded(now);
      }
      return walkSteps();
    }

    /** Enters and completes steps until one holds, a new weight is wanted, or all are done. */
    private boolean walkSteps() {
      List<Step> steps = plan.steps();
      for (int guard = 0; guard <= steps.size() + 1 && r.phase() == Phase.PROGRESSING; guard++) {
        if (r.stepIndex() >= steps.size()) {
          return promote();
        }
        Step step = steps.get(r.stepIndex());
        if (!r.stepEntered()) {
          r.enterStep(describe(step), now);
          if (step instanceof Step.SetWeight w) {
            if (w.weight() != r.canaryWeight()) {
              r.wantWeight(w.weight());
              return true; // committed first; the next tick drives the router
            }
          } else if (step instanceof Step.Pause p) {
            r.pauseForStep(p.duration(), now);
            return false;
          }
        }
        if (!complete(step)) {
          return false;
        }
        r.stepCompleted(now);
      }
      return false;
    }

    private boolean complete(Step step) {
      if (step instanceof Step.SetWeight w) {
        // At 100% the baseline gets no traffic, so there is nothing to compare with: full exposure
        // is promotion. Judge before it by ending the ramp below 100.
        return r.canaryWeight() == w.weight()
            && (!plan.hasAnalysis() || w.weight() == 100 || r.stepSuccesses() >= 1);
      }
      if (step instanceof Step.Analysis a) {
        return r.stepSuccesses() >= a.count()
            && (a.duration() == null || !now.isBefore(r.stepStartedAt().plus(a.duration())));
      }
      return true; // a pause step that is entered while progressing was resumed
    }

    private boolean promote() {
      if (r.desiredWeight() != 100 || r.canaryWeight() != 100) {
        r.wantWeight(100);
        return true;
      }
      if (!callRouter(() -> router.finish(true), "could not finish the promotion")) {
        return false;
      }
      r.succeeded("promoted: the canary takes all traffic and is the stable version", now);
      return false;
    }

    boolean rollBackTraffic() {
      if (!reconcile()) {
        return false;
      }
      if (!callRouter(() -> router.finish(false), "could not finish the rollback")) {
        return false;
      }
      r.rolledBack(now);
      return false;
    }

    /**
     * Brings the router to the desired weight: applies a pending change, records one a crash left
     * applied but unrecorded, and sets a weight someone changed by hand back (drift).
     */
    private boolean reconcile() {
      if (r.weightChangedAt() == null && r.desiredWeight() == r.canaryWeight()) {
        return true; // nothing applied by this rollout yet
      }
      int desired = r.desiredWeight();
      OptionalInt actual;
      try {
        actual = remote.call(backend, router::currentCanaryWeight);
      } catch (RuntimeException e) {
        return routerFailed("could not read the canary weight", e);
      }
      if (desired == r.canaryWeight() && actual.isPresent() && actual.getAsInt() == desired) {
        return true;
      }
      if (desired != r.canaryWeight() && actual.isPresent() && actual.getAsInt() == desired) {
        r.weightApplied(desired, true, Actors.SCHEDULER, now); // applied before a crash
        return true;
      }
      if (desired == r.canaryWeight() && actual.isPresent()) {
        r.drifted(actual.getAsInt(), now);
      }
      return apply(desired);
    }

    private boolean apply(int weight) {
      if (!callRouter(
          () -> router.setCanaryWeight(weight),
          "could not set the canary weight to " + weight + "%")) {
        return false;
      }
      OptionalInt back;
      try {
        back = remote.call(backend, router::currentCanaryWeight);
      } catch (RuntimeException e) {
        return routerFailed(
            "could not read back the canary weight after setting " + weight + "%", e);
      }
      if (back.isPresent() && back.getAsInt() != weight) {
        return routerFailed(
            "the router reports " + back.getAsInt() + "% after being set to " + weight + "%", null);
      }
      r.weightApplied(weight, back.isPresent(), Actors.SCHEDULER, now);
      return true;
    }

    private boolean callRouter(Runnable call, String what) {
      try {
        remote.run(backend, call);
        return true;
      } catch (RuntimeException e) {
        return routerFailed(what, e);
      }
    }

    /** Counts a router failure; past the limit, rolls back, or fails when already rolling back. */
    private boolean routerFailed(String what, RuntimeException e) {
      routerFailedThisTick = true;
      metrics.routerFailed(plan.router().type());
      String message = what + (e == null ? "" : ": " + e.getMessage());
      r.routerFailed(message, now);
      if (r.routerFailures() > routerFailureLimit) {
        if (r.phase() == Phase.ROLLING_BACK) {
          r.failed(
              "the router could not be driven back to stable after "
                  + r.routerFailures()
                  + " attempts: "
                  + message,
              now);
        } else if (r.phase().active()) {
          r.rollBack(
              "the router could not be driven after "
                  + r.routerFailures()
                  + " attempts: "
                  + message,
              Actors.SCHEDULER,
              now);
        }
      }
      return false;
    }

    private boolean deadlinePassed() {
      return r.lastProgressAt() != null
          && now.isAfter(r.lastProgressAt().plus(plan.progressDeadline()));
    }

    private Instant windowStart() {
      Instant afterWarmup = r.weightChangedAt().plus(plan.analysis().warmup());
      Instant last = r.lastAnalysisEnd();
      return last != null && last.isAfter(afterWarmup) ? last : afterWarmup;
    }

    private boolean analysisDue() {
      if (!plan.hasAnalysis()
          || r.weightChangedAt() == null
          || r.desiredWeight() != r.canaryWeight()) {
        return false;
      }
      boolean onAnalysisStep =
          r.stepIndex() < plan.steps().size()
              && plan.steps().get(r.stepIndex()) instanceof Step.Analysis;
      if ((r.canaryWeight() == 0 || r.canaryWeight() == 100) && !onAnalysisStep) {
        return false; // no canary traffic, or no baseline traffic: nothing to compare
      }
      return !now.isBefore(windowStart().plus(plan.analysis().interval()));
    }

    private AnalysisRun analyse() {
      Instant start = windowStart();
      JudgeState previous = store.judgeState(r);
      AnalysisRun run = analyses.run(plan.analysis(), store.scopes(r, plan), start, now, previous);
      store.saveAnalysis(r, run, now);
      metrics.analysed(run.outcome());
      r.analysed(
          run.outcome(),
          run.judgement().verdict().name(),
          run.judgement().score(),
          store.judgeStateJson(run.judgement().state()),
          now,
          run.summary(),
          now);
      return run;
    }

    /** Applies failureLimit, consecutiveErrorLimit and inconclusiveLimit; true if one acted. */
    private boolean applyLimits(AnalysisRun run) {
      AnalysisSpec a = plan.analysis();
      if (run.outcome() == AnalysisOutcome.FAILURE && r.failures() > a.failureLimit()) {
        r.rollBack(
            "analysis failed "
                + r.failures()
                + " time(s), more than failureLimit "
                + a.failureLimit()
                + ": "
                + run.summary(),
            Actors.SCHEDULER,
            now);
        return true;
      }
      if (run.outcome() == AnalysisOutcome.ERROR
          && r.consecutiveErrors() > a.consecutiveErrorLimit()) {
        String why =
            "metrics could not be fetched "
                + r.consecutiveErrors()
                + " times in a row, more than consecutiveErrorLimit "
                + a.consecutiveErrorLimit()
                + ": "
                + run.summary();
        if (a.errorAction() == AnalysisSpec.ErrorAction.PAUSE) {
          if (r.phase() == Phase.PROGRESSING) {
            r.pauseInconclusive("paused for a person: " + why, now);
          }
        } else {
          r.rollBack(why, Actors.SCHEDULER, now);
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
            now);
        return true;
      }
      return false;
    }

    /** When the rollout needs its next look, if nothing is due at once. */
    Instant nextRegularTick() {
      Instant next = now.plus(plan.hasAnalysis() ? plan.analysis().interval() : idleTick);
      if (routerFailedThisTick) {
        Duration backoff = Duration.ofSeconds(Math.min(30, 2L * Math.max(1, r.routerFailures())));
        return now.plus(backoff);
      }
      if (plan.hasAnalysis() && r.weightChangedAt() != null) {
        Instant due = windowStart().plus(plan.analysis().interval());
        if (due.isAfter(now) && due.isBefore(next)) {
          next = due;
        }
      }
      if (r.pauseUntil() != null && r.pauseUntil().isBefore(next)) {
        next = r.pauseUntil().isAfter(now) ? r.pauseUntil() : now;
      }
      if (r.phase() == Phase.PROGRESSING && r.lastProgressAt() != null) {
        Instant deadline = r.lastProgressAt().plus(plan.progressDeadline()).plusMillis(1);
        if (deadline.isBefore(next)) {
          next = deadline.isAfter(now) ? deadline : now;
        }
      }
      return next;
    }
  }

  static String describe(Step step) {
    if (step instanceof Step.SetWeight w) {
      return "setWeight " + w.weight() + "%";
    }
    if (step instanceof Step.Pause p) {
      return p.untilResumed() ? "pause until resumed" : "pause " + Durations.format(p.duration());
    }
    Step.Analysis a = (Step.Analysis) step;
    return "analysis, "
        + a.count()
        + " passing tick(s)"
        + (a.duration() == null ? "" : " over at least " + Durations.format(a.duration()));
  }
}
