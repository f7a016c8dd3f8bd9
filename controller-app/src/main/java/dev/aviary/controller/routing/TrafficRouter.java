package dev.aviary.controller.routing;

import java.util.OptionalInt;

/**
 * A configured traffic router for one plan. Every method is idempotent: setting the same weight
 * twice changes nothing, so a controller that crashed mid-call can simply call again.
 */
public interface TrafficRouter {

  /**
   * Sends {@code weight} percent (0..100) of traffic to the canary, the rest to stable.
   *
   * @throws RouterException retryable or fatal
   */
  void setCanaryWeight(int weight);

  /**
   * The canary weight the router applies now, for verification and drift detection; empty when the
   * router cannot tell (a webhook, say).
   *
   * @throws RouterException retryable or fatal
   */
  OptionalInt currentCanaryWeight();

  /**
   * Whether {@link #currentCanaryWeight()} asks the router at all; when not (a webhook without a
   * status URL), the controller does not call it: a call that goes nowhere would tell the remote
   * call lanes that the router answers quickly when it may be hanging.
   */
  default boolean readsWeight() {
    return true;
  }

  /**
   * Makes the router route and copy requests as {@code routes} says — its whole set of header and
   * cookie routes and its mirrored share, replacing whatever it held — without touching the weight.
   * Only called with what the router's capabilities cover (plans asking for more are refused).
   *
   * @throws RouterException retryable or fatal
   */
  default void setRoutes(Routes routes) {
    if (!routes.isEmpty()) {
      throw RouterException.fatal(
          "this router cannot route by header or cookie, nor mirror: " + routes.describe());
    }
  }

  /**
   * Whether the router holds {@code routes} now (see {@link Routes#sameEffect}), for recovery after
   * a crash and for drift: a reloaded HAProxy forgets its runtime maps, say.
   *
   * @throws RouterException retryable or fatal
   */
  default boolean holds(Routes routes) {
    return routes.isEmpty();
  }

  /**
   * Leaves the router in its plain state once a rollout ends: after promotion all traffic on the
   * new version, after rollback all on stable, and nothing Aviary added left behind — no header
   * route, no mirroring.
   *
   * @throws RouterException retryable or fatal
   */
  void finish(boolean promoted);
}
