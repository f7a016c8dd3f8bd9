package dev.aviary.analysis.judge;

import java.util.Map;

/**
 * Everything the judges of one rollout remember between ticks, per metric: plain maps of numbers,
 * so that any JSON mapper can store and restore it.
 */
public record JudgeState(Map<String, Map<String, Double>> metrics) {

  public static final JudgeState EMPTY = new JudgeState(Map.of());

  public JudgeState {
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
  }

  JudgeMemory memoryOf(String metric) {
    return new JudgeMemory(metrics.getOrDefault(metric, Map.of()));
  }
}
