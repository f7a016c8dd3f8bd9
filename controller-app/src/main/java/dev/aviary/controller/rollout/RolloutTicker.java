package dev.aviary.controller.rollout;

import dev.aviary.controller.analysis.AnalysisRunner;
import dev.aviary.controller.plan.AnalysisSpec;
import dev.aviary.controller.plan.Hook;
import dev.aviary.controller.plan.PlanSpec;
import dev.aviary.controller.plan.Step;
import dev.aviary.controller.platform.RemoteCalls;
import dev.aviary.controller.routing.RouterTarget;
import dev.aviary.controller.routing.TrafficRouter;
import dev.aviary.controller.routing.TrafficRouterFactory;
import dev.aviary.controller.routing.TrafficRouters;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * One tick of one rollout: bring the router to the committed desired weight ({@link
 * TrafficReconciler}), judge the canary when an interval's data is in and apply the plan's limits
 * ({@link AnalysisPolicy}), and move through the steps ({@link StepWalker}).
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
  private final TrafficReconciler traffic;
  private final AnalysisPolicy analysis;
  private final StepWalker steps;
  private final ReleaseGate gate;
  private final HookGates hooks;
  private final Duration idleTick;

  /** How often a parallel-run step is judged. */
  static final Duration PARALLEL_RUN_TICK = Duration.ofSeconds(2);

  RolloutTicker(
      TrafficRouters routers,
      AnalysisRunner analyses,
      RemoteCalls remote,
      AnalysisLog log,
      TickCounters counters,
      ComparisonTotals comparisons,
      ReleaseGate gate,
      HookCalls hookCalls,
      @Value("${aviary.rollouts.idle-tick:5s}") Duration idleTick,
      @Value("${aviary.rollouts.router-failure-limit:3}") int routerFailureLimit,
      @Value("${aviary.rollouts.rollback-attempts:120}") int rollbackAttempts) {
    this.routers = routers;
    this.traffic = new TrafficReconciler(remote, counters, routerFailureLimit, rollbackAttempts);
    this.analysis = new AnalysisPolicy(analyses, log, counters);
    this.hooks = new HookGates(hookCalls);
    this.steps = new StepWalker(traffic, new ParallelRunGate(comparisons), gate, hooks);
    this.gate = gate;
    this.idleTick = idleTick;
  }

  /** Works the rollout once, at {@code now}, then sets when it is next due. */
  void tick(Rollout r, PlanSpec plan, Instant now) {
    TrafficRouterFactory factory =
        routers
            .find(plan.router().type())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "router type " + plan.router().type() + " is no longer known"));
    TrafficRouter router =
        SlotRouter.of(
            factory.create(
                new RouterTarget(r.planName(), r.id().toString(), r::trafficChange, r.canary()),
                plan.router().settings()),
            r.slot());
    Tick t =
        new Tick(
            r,
            plan,
            now,
            router,
            "router-" + plan.router().type() + "-" + r.planName(),
            factory.destination(plan.router().settings()));
    boolean again =
        switch (r.phase()) {
          case PENDING -> {
            Optional<String> wait = gate.notYet(r.id(), plan, r.createdAt());
            if (wait.isPresent()) {
              r.gateHeld(wait.get(), now); // waits at 0 %, touching nothing
              yield false;
            }
            r.gateOpened(now);
            if (!hooks.passed(t, Hook.Point.BEFORE_ROLLOUT, 0)) {
              yield r.phase() == Phase.ROLLING_BACK; // waits at 0 % for the hooks' go
            }
            r.begin(now);
            yield progress(t);
          }
          case PROGRESSING, PAUSED -> progress(t);
          case ROLLING_BACK -> rollBack(t);
          default -> false;
        };
    r.scheduleNextTick(again ? now : nextRegularTick(t));
  }

  /** Methods answer whether another tick is due at once. */
  private boolean progress(Tick t) {
    Rollout r = t.rollout;
    if (!traffic.reconcile(t) || (t.plan.hasRoutes() && !traffic.reconcileRoutes(t))) {
      return false;
    }
    if (analysis.enforceDeadline(t)) {
      return true;
    }
    if (analysis.judgeIfDue(t) || analysis.enforceMaxDuration(t)) {
      return r.phase() == Phase.ROLLING_BACK;
    }
    if (r.phase() == Phase.PAUSED) {
      Instant until = r.pauseUntil();
      if (until == null
          || r.heldBy() != null
          || t.now.isBefore(until)
          || !AnalysisPolicy.mayRaiseWeight(t)) {
        return false; // a timed pause ends on a passing analysis: missing data holds the weight
      }
      r.timedPauseEnded(t.now);
    }
    return steps.walk(t);
  }

  private boolean rollBack(Tick t) {
    if (!traffic.reconcile(t) || !traffic.finish(t, false)) {
      return false;
    }
    t.rollout.rolledBack(t.now);
    return false;
  }

  /** When the rollout needs its next look, if nothing is due at once. */
  private Instant nextRegularTick(Tick t) {
    Rollout r = t.rollout;
    PlanSpec plan = t.plan;
    Instant now = t.now;
    AnalysisSpec analysis = plan.hasAnalysis() ? plan.analysis() : null;
    Instant next = now.plus(analysis != null ? analysis.interval() : idleTick);
    if (t.routerFailed) {
      Duration backoff = Duration.ofSeconds(Math.min(30, 2L * Math.max(1, r.routerFailures())));
      return now.plus(backoff);
    }
    if (r.phase() == Phase.PROGRESSING
        && r.stepIndex() < plan.steps().size()
        && plan.steps().get(r.stepIndex()) instanceof Step.ParallelRun
        && PARALLEL_RUN_TICK.compareTo(Duration.between(now, next)) < 0) {
      next = now.plus(PARALLEL_RUN_TICK); // reports arrive every second or so: judge them soon
    }
    Instant waitingSince = r.stepWaitingSince();
    if (r.phase() == Phase.PROGRESSING
        && AnalysisPolicy.awaitsApproval(t)
        && waitingSince != null
        && plan.steps().get(r.stepIndex()) instanceof Step.Approval a) {
      Instant timeout = a.deadline(waitingSince);
      if (timeout.isBefore(next)) {
        next = timeout.isAfter(now) ? timeout : now; // an unanswered step ends on time
      }
    }
    Instant due = AnalysisPolicy.nextWindowEnd(t);
    if (due != null && due.isAfter(now) && due.isBefore(next)) {
      next = due;
    }
    Instant pauseUntil = r.pauseUntil();
    if (pauseUntil != null && pauseUntil.isAfter(now) && pauseUntil.isBefore(next)) {
      next = pauseUntil; // past its end, a pause held for a passing analysis waits for the next one
    }
    Instant lastProgress = r.lastProgressAt();
    if (r.phase() == Phase.PROGRESSING
        && lastProgress != null
        && r.gateHold() == null
        && !AnalysisPolicy.awaitsApproval(t)) {
      Instant deadline = lastProgress.plus(plan.progressDeadline()).plusMillis(1);
      if (deadline.isBefore(next)) {
        next = deadline.isAfter(now) ? deadline : now;
      }
    }
    return next;
  }
}
