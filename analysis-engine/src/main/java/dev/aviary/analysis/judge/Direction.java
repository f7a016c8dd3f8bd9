package dev.aviary.analysis.judge;

import java.util.Locale;
import java.util.Optional;

/** Which movement of the canary, relative to the baseline, counts against it. */
public enum Direction {
  /** Only a higher canary fails (error rates, latency). */
  INCREASE,
  /** Only a lower canary fails (throughput, success rates). */
  DECREASE,
  /** Any significant difference fails. */
  EITHER;

  /** The lower-case name used in plans and requests. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Direction> parse(String text) {
    for (Direction d : values()) {
      if (d.wireName().equals(text)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  public boolean allowsHigh() {
    return this != DECREASE;
  }

  public boolean allowsLow() {
    return this != INCREASE;
  }
}
