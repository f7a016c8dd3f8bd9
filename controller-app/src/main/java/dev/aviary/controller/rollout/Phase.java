package dev.aviary.controller.rollout;

import java.util.EnumSet;
import java.util.Set;

/** Where a rollout stands. */
public enum Phase {
  /** Accepted; the scheduler has not touched traffic yet. */
  PENDING,
  /** Moving through the plan's steps. */
  PROGRESSING,
  /** Held at its weight: a pause step, a person, or an inconclusive analysis. */
  PAUSED,
  /** The canary took all traffic and is the new stable version. */
  SUCCEEDED,
  /** Traffic is being returned to stable. */
  ROLLING_BACK,
  /** Traffic is back on stable after the canary failed. */
  ROLLED_BACK,
  /** Traffic is back on stable because a person aborted. */
  ABORTED,
  /** The router could not be driven; a person must look. */
  FAILED;

  /** Phases in which the scheduler works on the rollout (the database allows one per plan). */
  public static final Set<Phase> ACTIVE = EnumSet.of(PENDING, PROGRESSING, PAUSED, ROLLING_BACK);

  public boolean active() {
    return ACTIVE.contains(this);
  }

  public boolean terminal() {
    return !active();
  }
}
