package dev.aviary.controller.rollout;

/** What moves a rollout from one phase to another. */
enum Trigger {
  /** The scheduler picks up a pending rollout. */
  START,
  /** A pause step, a person, or too many inconclusive analyses. */
  PAUSE,
  /** A timed pause ends, or a person resumes or promotes. */
  RESUME,
  /** Every step done and all traffic on the canary. */
  SUCCEED,
  /** A failed analysis, too many errors, the progress deadline, or a person aborting. */
  ROLL_BACK,
  /** Traffic is back on stable after a failure. */
  ROLLED_BACK,
  /** Traffic is back on stable after a person aborted. */
  ABORTED,
  /** The router could not be driven back to stable. */
  FAIL,
  /** A person retries a finished, unsuccessful rollout from its first step. */
  RETRY
}
