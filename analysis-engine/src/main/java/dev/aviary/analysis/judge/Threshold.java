package dev.aviary.analysis.judge;

import org.jspecify.annotations.Nullable;

/**
 * Absolute bounds for a metric of the canary alone, as Flagger's {@code thresholdRange}.
 *
 * @param min the reduced value must not fall below this (null: no lower bound)
 * @param max the reduced value must not exceed this (null: no upper bound)
 * @param reducer how the series over the interval becomes one value
 */
public record Threshold(@Nullable Double min, @Nullable Double max, Reducer reducer) {
  public Threshold {
    if (min == null && max == null) {
      throw new IllegalArgumentException("a threshold needs min, max or both");
    }
    if (min != null && max != null && min > max) {
      throw new IllegalArgumentException("min must not exceed max");
    }
    reducer = reducer == null ? Reducer.AVG : reducer;
  }
}
