package dev.aviary.controller.rollout;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The canary's share of traffic: the weight the rollout wants (committed before the router is
 * asked) and the weight the router confirmed, and how driving the router has gone.
 */
@Embeddable
class Traffic {

  @Column(name = "desired_weight", nullable = false)
  private int desired;

  @Column(name = "canary_weight", nullable = false)
  private int current;

  @Column(name = "weight_verified", nullable = false)
  private boolean verified = true;

  @Column(name = "weight_changed_at")
  private @Nullable Instant changedAt;

  @Column(name = "router_failures", nullable = false)
  private int routerFailures;

  /** Counts the traffic changes asked of the router: one per new weight, correction or finish. */
  @Column(name = "change_seq", nullable = false)
  private int changeSeq;

  int desired() {
    return desired;
  }

  int current() {
    return current;
  }

  boolean verified() {
    return verified;
  }

  @Nullable Instant changedAt() {
    return changedAt;
  }

  int routerFailures() {
    return routerFailures;
  }

  /** Whether this rollout has not yet applied any weight. */
  boolean untouched() {
    return changedAt == null && desired == current;
  }

  void want(int weight) {
    if (weight != desired) {
      changeSeq++;
    }
    desired = weight;
  }

  int changeSeq() {
    return changeSeq;
  }

  /** A change asked again for a reason other than a new weight: drift, a finish. */
  void newChange() {
    changeSeq++;
  }

  /**
   * Records that the router holds {@code weight}; answers the weight before when it changed (or was
   * first applied), -1 otherwise.
   */
  int applied(int weight, boolean readBack, Instant now) {
    routerFailures = 0;
    verified = readBack;
    if (weight != current || changedAt == null) {
      int from = current;
      current = weight;
      changedAt = now;
      return from;
    }
    return -1;
  }

  /**
   * What reaches the canary changed without a new weight (a header route, mirroring): analysis
   * windows start afresh from now, as after a weight change.
   */
  void mixChanged(Instant now) {
    changedAt = now;
  }

  void routerFailed() {
    routerFailures++;
  }

  /** The router could not say what it holds: the weight is no longer known to be applied. */
  void unverified() {
    verified = false;
  }

  void resetRouterFailures() {
    routerFailures = 0;
  }
}
