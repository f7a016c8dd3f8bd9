package dev.aviary.controller.rollout;

/** Kinds of entries in a rollout's audit trail. */
public enum EventType {
  /** The rollout was accepted. */
  CREATED,
  /** The phase changed. */
  TRANSITION,
  /** The canary weight changed at the router. */
  WEIGHT,
  /** A step began. */
  STEP,
  /** An analysis tick's outcome. */
  ANALYSIS,
  /** A person or pipeline asked for something (pause, resume, promote, abort, retry). */
  ACTION,
  /** The router reported a weight other than the one set; it was set again. */
  DRIFT,
  /** A router call failed. */
  ROUTER_ERROR,
  /** A tick failed for a reason of Aviary's own; it is tried again later. */
  TICK_ERROR,
  /** A parallel-run step's decision: passed, failed, or undecided at its maxDuration. */
  PARALLEL_RUN,
  /** An approval step asked for an answer, was answered (by whom and why), or timed out. */
  APPROVAL,
  /** A freeze or the plan's release windows began or stopped holding its traffic. */
  HOLD,
  /** A hook at a gate was asked, said go, or failed the gate. */
  HOOK,
  /** The router's header routes or mirroring were set (by a step, or again after drift). */
  ROUTES
}
