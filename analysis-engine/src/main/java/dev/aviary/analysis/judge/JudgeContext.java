package dev.aviary.analysis.judge;

/**
 * What a judge is handed beside a metric's data.
 *
 * @param memory what the judge remembered of this metric at earlier ticks of the same rollout; it
 *     writes what it wants to remember next into it
 * @param family how many metrics of this judgement the same judge type decides: a judge that
 *     promises an error rate for the whole analysis spends it across them
 */
public record JudgeContext(JudgeMemory memory, int family) {

  public JudgeContext {
    if (family < 1) {
      throw new IllegalArgumentException("family must be at least 1");
    }
  }

  /** A context without memory, for one metric judged alone. */
  public static JudgeContext fresh() {
    return new JudgeContext(JudgeMemory.empty(), 1);
  }
}
