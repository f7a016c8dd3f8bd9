package dev.aviary.analysis.judge;

/**
 * Classifies one metric of the canary. A judge may keep state across the analysis ticks of one
 * rollout (a sequential test accumulates evidence); it keeps it in the {@link JudgeMemory} of its
 * {@link JudgeContext}, which the caller stores between ticks as part of a {@link JudgeState}.
 */
public interface Judge {

  /** The judge's name in plans and requests, e.g. {@code threshold} or {@code mann-whitney}. */
  String type();

  /** Classifies {@code input}; stateless judges ignore the context's memory. */
  MetricResult classify(MetricInput input, JudgeContext context);
}
