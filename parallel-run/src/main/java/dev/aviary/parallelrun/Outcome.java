package dev.aviary.parallelrun;

/** How a candidate compared with its control. */
public enum Outcome {
  /** Same value, or the same exception (class and message). */
  MATCH,
  /** A different value or exception. */
  MISMATCH,
  /** Different, but an ignore rule accepted the difference. */
  IGNORED,
  /** The candidate threw where the control did not. */
  CANDIDATE_ERROR,
  /** The candidate took longer than the laboratory's timeout. */
  TIMEOUT,
  /** The candidate did not run: the laboratory's executor was saturated. */
  SKIPPED;

  /** Whether the result counts against the candidate. */
  public boolean mismatched() {
    return this == MISMATCH || this == CANDIDATE_ERROR || this == TIMEOUT;
  }

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
