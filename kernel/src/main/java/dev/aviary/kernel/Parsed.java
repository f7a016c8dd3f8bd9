package dev.aviary.kernel;

import java.util.List;

/**
 * Settings read into a value, or the violations that kept them from it.
 *
 * @param value the parsed value; null when there are violations
 * @param violations everything wrong; empty when valid
 */
public record Parsed<T>(T value, List<SettingViolation> violations) {

  public Parsed {
    violations = List.copyOf(violations);
  }

  /** The value of settings read by {@code reader}-style code that collected {@code violations}. */
  public static <T> Parsed<T> of(T value, List<SettingViolation> violations) {
    return new Parsed<>(violations.isEmpty() ? value : null, violations);
  }

  public boolean valid() {
    return violations.isEmpty();
  }

  /** The value, or an {@link IllegalArgumentException} listing the violations. */
  public T orThrow(String what) {
    if (!valid()) {
      throw new IllegalArgumentException("invalid " + what + ": " + violations);
    }
    return value;
  }
}
