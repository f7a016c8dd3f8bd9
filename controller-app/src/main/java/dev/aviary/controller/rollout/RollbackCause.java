package dev.aviary.controller.rollout;

/**
 * Why a rollout went back to stable: what a pipeline needs to tell apart without reading the
 * reason's words (the CLI exits 2 on a failed canary, 6 on one that could not be judged).
 */
public enum RollbackCause {
  /** The canary failed its analysis more often than {@code failureLimit} allows. */
  CANARY_FAILED,
  /**
   * The canary could not be judged: the metrics could not be fetched more often in a row than
   * {@code consecutiveErrorLimit} allows, and the plan's {@code errorAction} is {@code rollback}.
   * Nothing is known about the canary.
   */
  NOT_JUDGED,
  /** The judge proved neither harm nor safety within {@code maxDuration}; onUndecided: rollback. */
  UNDECIDED,
  /** No progress within {@code progressDeadline}. */
  NO_PROGRESS,
  /** The router could not be driven forward; traffic went back to stable. */
  ROUTER,
  /** A person aborted the rollout. */
  ABORTED,
  /**
   * A parallel run proved the candidate answers differently from the trusted version more often
   * than the step's {@code maxMismatchRate}; it never received traffic of its own.
   */
  PARALLEL_RUN_MISMATCH,
  /** A person allowed to answer an approval step rejected the release. */
  REJECTED,
  /** Nobody answered an approval step within its timeout, and its onTimeout is rollback. */
  NOT_APPROVED,
  /**
   * A hook at a gate said no-go, did not say go within its timeout, or failed more often in a row
   * than its retries allow, and its onFailure is rollback.
   */
  HOOK_FAILED
}
