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
   * Leaves the router in its plain state once a rollout ends: after promotion all traffic on the
   * new version, after rollback all on stable, and nothing Aviary added left behind.
   *
   * @throws RouterException retryable or fatal
   */
  void finish(boolean promoted);
}
