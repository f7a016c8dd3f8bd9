package dev.aviary.cli;

/** What the process exit status tells a pipeline. */
public final class ExitCodes {

  /** The rollout succeeded (or the command did what it was asked). */
  public static final int SUCCEEDED = 0;

  /** The command failed: the server refused it or could not be reached. */
  public static final int ERROR = 1;

  /** The canary failed and traffic was rolled back. */
  public static final int ROLLED_BACK = 2;

  /** A person aborted the rollout. */
  public static final int ABORTED = 3;

  /** The router could not be driven; a person must look. */
  public static final int FAILED = 4;

  /** Waiting ran out before the rollout finished. */
  public static final int TIMEOUT = 5;

  /**
   * The canary could not be judged (its metrics could not be fetched) and was rolled back: nothing
   * is known about the new version; fix the metrics and release again.
   */
  public static final int NOT_JUDGED = 6;

  /**
   * Rolled back at an approval step: a person rejected the release, or nobody approved it in time
   * and the step said roll back.
   */
  public static final int NOT_APPROVED = 7;

  /** The command line was wrong. */
  public static final int USAGE = 64;

  private ExitCodes() {}

  /**
   * The exit code for a rollout that ended in {@code phase}, gone back to stable for {@code cause}.
   */
  public static int forResult(String phase, String rollbackCause) {
    if ("ROLLED_BACK".equals(phase) && "NOT_JUDGED".equals(rollbackCause)) {
      return NOT_JUDGED;
    }
    if ("ROLLED_BACK".equals(phase)
        && ("REJECTED".equals(rollbackCause) || "NOT_APPROVED".equals(rollbackCause))) {
      return NOT_APPROVED;
    }
    return forPhase(phase);
  }

  /** The exit code for a rollout that ended in {@code phase}. */
  public static int forPhase(String phase) {
    return switch (phase) {
      case "SUCCEEDED" -> SUCCEEDED;
      case "ROLLED_BACK" -> ROLLED_BACK;
      case "ABORTED" -> ABORTED;
      case "FAILED" -> FAILED;
      default -> TIMEOUT;
    };
  }
}
