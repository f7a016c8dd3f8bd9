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
  /** The metric could not be fetched or judged. Never counted as passing. */
  ERROR;

  boolean isFailure() {
    return this == HIGH || this == LOW;
  }

  /** Most severe first: a failure outranks an error, an error outranks missing data. */
  int severity() {
    return switch (this) {
      case HIGH, LOW -> 3;
      case ERROR -> 2;
      case NODATA -> 1;
      case PASS -> 0;
    };
  }
}
