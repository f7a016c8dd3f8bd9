package dev.aviary.kernel;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Settings read into a value, or the violations that kept them from it.
 *
 * @param value the parsed value; null when there are violations
 * @param violations everything wrong; empty when valid
 */
public record Parsed<T>(@Nullable T value, List<SettingViolation> violations) {

  public Parsed {
    violations = List.copyOf(violations);
  }

  /** The value of settings read by {@code reader}-style code that collected {@code violations}. */
  public static <T> Parsed<T> of(@Nullable T value, List<SettingViolation> violations) {
    return new Parsed<>(violations.isEmpty() ? value : null, violations);
  }

  public boolean valid() {
    return violations.isEmpty();
  }

  /** The value, or an {@link IllegalArgumentException} listing the violations. */
  public T orThrow(String what) {
    if (!valid() || value == null) {
      throw new IllegalArgumentException("invalid " + what + ": " + violations);
    }
    return value;
  }

  /**
   * The value of valid settings.
   *
   * @throws IllegalStateException when there are violations (check {@link #valid()} first)
   */
  public T get() {
    if (value == null) {
      throw new IllegalStateException("no value: " + violations);
    }
    return value;
  }
}
