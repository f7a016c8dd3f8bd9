package dev.aviary.analysis.judge;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a judge remembers about one metric between analysis ticks: named numbers. */
public final class JudgeMemory {

  private final Map<String, Double> values;

  JudgeMemory(Map<String, Double> values) {
    this.values = new LinkedHashMap<>(values);
  }

  public static JudgeMemory empty() {
    return new JudgeMemory(Map.of());
  }

  public double get(String key, double absent) {
    return values.getOrDefault(key, absent);
  }

  public void put(String key, double value) {
    values.put(key, value);
  }

  Map<String, Double> snapshot() {
    return Map.copyOf(values);
  }
}
