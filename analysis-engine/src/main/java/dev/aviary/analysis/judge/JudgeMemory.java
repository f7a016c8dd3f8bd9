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

  /** The remembered numbers whose names start with {@code prefix}, without it. */
  public Map<String, Double> read(String prefix) {
    Map<String, Double> found = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : values.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        found.put(e.getKey().substring(prefix.length()), e.getValue());
      }
    }
    return found;
  }

  /** Replaces the numbers under {@code prefix} by {@code state}. */
  public void write(String prefix, Map<String, Double> state) {
    values.keySet().removeIf(k -> k.startsWith(prefix));
    state.forEach((k, v) -> values.put(prefix + k, v));
  }

  Map<String, Double> snapshot() {
    return Map.copyOf(values);
  }
}
