package dev.aviary.analysis.metrics;

import java.util.Locale;
import java.util.Optional;

/**
 * How several series returned for one query become one, point by point. {@link #NONE} (the default)
 * refuses several series: a query that matches more than expected is an error, not a number.
 */
public enum SeriesAggregation {
  NONE,
  SUM,
  AVG,
  MIN,
  MAX;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<SeriesAggregation> parse(String text) {
    for (SeriesAggregation a : values()) {
      if (a.wireName().equals(text)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
