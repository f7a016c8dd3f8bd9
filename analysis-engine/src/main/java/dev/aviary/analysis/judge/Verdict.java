package dev.aviary.analysis.judge;

/** The overall outcome of one judgement. */
public enum Verdict {
  /** Score at or above the pass threshold. */
  PASS,
  /** Score at or above the marginal threshold but below pass. */
  MARGINAL,
  /** Score below the marginal threshold, or a critical metric failed. */
  FAIL,
  /**
   * A sequential judge has not decided on a metric and nothing failed: neither pass nor fail yet;
   * the rollout waits for more traffic.
   */
  UNDECIDED,
  /** Too little data to judge: at least half the metrics, or a critical one, had none. */
  NODATA
}
