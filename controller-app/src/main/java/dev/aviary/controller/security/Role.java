package dev.aviary.controller.security;

import java.util.Locale;
import java.util.Optional;

/**
 * What a caller may do. {@code admin} includes {@code operator}, which includes {@code viewer} and
 * {@code pipeline}; {@code pipeline} only starts and reads rollouts.
 */
public enum Role {
  VIEWER,
  OPERATOR,
  PIPELINE,
  ADMIN;

  /** The hierarchy in Spring Security's notation. */
  static final String HIERARCHY =
      """
      ROLE_ADMIN > ROLE_OPERATOR
      ROLE_OPERATOR > ROLE_VIEWER
      ROLE_OPERATOR > ROLE_PIPELINE
      """;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String authority() {
    return "ROLE_" + name();
  }

  public static Optional<Role> parse(String value) {
    for (Role r : values()) {
      if (r.wireName().equalsIgnoreCase(value)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
