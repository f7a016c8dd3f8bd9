package dev.aviary.controller.rollout;

import dev.aviary.controller.platform.Actors;
import dev.aviary.controller.platform.RemoteCalls;
import dev.aviary.controller.routing.Routes;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the router to the committed desired weight, and finishes a rollout on the router. Every
 * router call goes through {@link RemoteCalls}; failures are counted, and past the limit a rollout
 * is rolled back. The way back is never given up lightly: rolling back sets 0 % even when the
 * weight cannot be read, keeps trying with backoff for {@code rollbackAttempts} attempts (an hour
 * by default), and only then fails, loudly. A circuit breaker that is open is waited on, not
 * counted as an attempt: nothing was tried.
 */
final class TrafficReconciler {

  private static final Logger log = LoggerFactory.getLogger(TrafficReconciler.class);

  private final RemoteCalls remote;
  private final TickCounters counters;
  private final int routerFailureLimit;
  private final int rollbackAttempts;

  TrafficReconciler(
      RemoteCalls remote, TickCounters counters, int routerFailureLimit, int rollbackAttempts) {
    this.remote = remote;
    this.counters = counters;
    this.routerFailureLimit = routerFailureLimit;
    this.rollbackAttempts = rollbackAttempts;
  }

  /**
   * Applies a pending change, records one a crash left applied but unrecorded, and sets a weight
   * someone changed by hand back (drift). Answers whether the router holds the desired weight.
   */
  boolean reconcile(Tick t) {
    Rollout r = t.rollout;
    if (r.trafficUntouched()) {
      return true; // nothing applied by this rollout yet
    }
    int desired = r.desiredWeight();
    OptionalInt actual;
    try {
      actual = read(t);
    } catch (RuntimeException e) {
      r.weightUnverified();
      if (r.phase() == Phase.ROLLING_BACK) {
        // the way back never waits on a read: set the stable weight and see
        return apply(t, desired);
      }
      return failed(t, "could not read the canary weight", e);
    }
    if (actual.isPresent() && actual.getAsInt() == desired) {
      if (desired != r.canaryWeight()) {
        r.weightApplied(desired, true, Actors.SCHEDULER, t.now); // applied before a crash
      }
      return true;
    }
    if (desired == r.canaryWeight() && actual.isPresent()) {
      r.drifted(actual.getAsInt(), t.now);
    }
    return apply(t, desired);
  }

  private boolean apply(Tick t, int weight) {
    RuntimeException setFailed = null;
    try {
      remote.run(t.routerBackend, t.routerDestination, () -> t.router.setCanaryWeight(weight));
    } catch (RuntimeException e) {
      setFailed = e;
    }
    if (setFailed != null) {
      // The change may have reached the router all the same (an answer lost, a timeout after the
      // last command): recorded now, when it took effect, rather than at a later tick's look
      if (!(setFailed instanceof RemoteCalls.NotTried) && reachedRouter(t, weight)) {
        t.rollout.weightApplied(weight, true, Actors.SCHEDULER, t.now);
        return true;
      }
      return failed(t, "could not set the canary weight to " + weight + "%", setFailed);
    }
    OptionalInt back;
    try {
      back = read(t);
    } catch (RuntimeException e) {
      // set, but not confirmed: recorded as unverified, and read again on the next tick
      t.rollout.weightApplied(weight, false, Actors.SCHEDULER, t.now);
      return true;
    }
    if (back.isPresent() && back.getAsInt() != weight) {
      return failed(
          t,
          "the router reports " + back.getAsInt() + "% after being set to " + weight + "%",
          null);
    }
    t.rollout.weightApplied(weight, back.isPresent(), Actors.SCHEDULER, t.now);
    return true;
  }

  /** Whether the router reads back {@code weight} now; false when it cannot tell or be read. */
  private boolean reachedRouter(Tick t, int weight) {
    try {
      OptionalInt now = read(t);
      return now.isPresent() && now.getAsInt() == weight;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The router's weight; empty, without a call, from a router that cannot tell. */
  private OptionalInt read(Tick t) {
    if (!t.router.readsWeight()) {
      return OptionalInt.empty();
    }
    return remote.call(t.routerBackend, t.routerDestination, t.router::currentCanaryWeight);
  }

  /**
   * Brings the router's header routes and mirroring to what the steps entered so far ask for: after
   * a crash, after a reload that lost them (drift), or as a route step asks. Answers whether the
   * router holds them.
   */
  boolean reconcileRoutes(Tick t) {
    Rollout r = t.rollout;
    Routes wanted = t.plan.routesThrough(r.stepEntered() ? r.stepIndex() : r.stepIndex() - 1);
    boolean holds;
    try {
      holds = remote.call(t.routerBackend, t.routerDestination, () -> t.router.holds(wanted));
    } catch (RuntimeException e) {
      return failed(t, "could not read the header routes and mirroring", e);
    }
    if (holds) {
      return true;
    }
    try {
      remote.run(t.routerBackend, t.routerDestination, () -> t.router.setRoutes(wanted));
    } catch (RuntimeException e) {
      return failed(t, "could not set " + wanted.describe(), e);
    }
    r.routesSet(wanted.describe(), t.now);
    return true;
  }

  /** Tells the router the rollout is over: promoted, or back on stable. */
  boolean finish(Tick t, boolean promoted) {
    return call(
        t,
        () -> t.router.finish(promoted),
        promoted ? "could not finish the promotion" : "could not finish the rollback");
  }

  private boolean call(Tick t, Runnable call, String what) {
    try {
      remote.run(t.routerBackend, t.routerDestination, call);
      return true;
    } catch (RuntimeException e) {
      return failed(t, what, e);
    }
  }

  /** Counts a router failure; past the limit, rolls back, or fails when already rolling back. */
  private boolean failed(Tick t, String what, @Nullable RuntimeException e) {
    Rollout r = t.rollout;
    t.routerFailed = true;
    if (e instanceof RemoteCalls.NotTried) {
      // the breaker is open, the router busy or slow: nothing was tried, so nothing is counted
      log.debug("rollout {}: waiting on the router: {}", r.id(), e.getMessage());
      return false;
    }
    counters.routerFailed(t.plan.router().type());
    String message = what + (e == null ? "" : ": " + e.getMessage());
    r.routerFailed(message, t.now);
    if (r.phase() == Phase.ROLLING_BACK) {
      if (r.routerFailures() > rollbackAttempts) {
        log.error(
            "rollout {} of plan {}: the router could not be driven back to stable after {}"
                + " attempts; traffic may still reach the canary: {}",
            r.id(),
            r.planName(),
            r.routerFailures(),
            message);
        r.failed(
            "the router could not be driven back to stable after "
                + r.routerFailures()
                + " attempts; traffic may still reach the canary, set it by hand: "
                + message,
            t.now);
      }
      return false;
    }
    if (r.routerFailures() > routerFailureLimit) {
      if (r.phase().active()) {
        r.rollBack(
            RollbackCause.ROUTER,
            "the router could not be driven after " + r.routerFailures() + " attempts: " + message,
            Actors.SCHEDULER,
            t.now);
      }
    }
    return false;
  }
}
