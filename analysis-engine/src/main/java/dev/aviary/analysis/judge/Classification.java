package dev.aviary.analysis.judge;

/** How one metric of the canary compares. */
public enum Classification {
  PASS,
  /** Significantly higher than allowed. */
  HIGH,
  /** Significantly lower than allowed. */
  LOW,
  /** Not enough data to judge. */
  NODATA,
  /**
   * A sequential judge has not decided yet: no proof of harm, no proof of safety. Never counted as
   * passing; the step waits for more traffic.
   */
  UNDECIDED,
  /** The metric could not be fetched or judged. Never counted as passing. */
  ERROR;

  boolean isFailure() {
    return this == HIGH || this == LOW;
  }

  /** Most severe first: a failure outranks an error, an error outranks missing data. */
  int severity() {
    return switch (this) {
      case HIGH, LOW -> 4;
      case ERROR -> 3;
      case NODATA -> 2;
      case UNDECIDED -> 1;
      case PASS -> 0;
    };
  }
}
