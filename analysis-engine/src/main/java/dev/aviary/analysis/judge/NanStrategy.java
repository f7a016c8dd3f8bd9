package dev.aviary.analysis.judge;

import java.util.Locale;
import java.util.Optional;

/** What to do with gaps (NaN) in a series before judging it. */
public enum NanStrategy {
  /** Drop them. Kayenta's default. */
  REMOVE,
  /** Read them as zero. */
  REPLACE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<NanStrategy> parse(String text) {
    for (NanStrategy s : values()) {
      if (s.wireName().equals(text)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
