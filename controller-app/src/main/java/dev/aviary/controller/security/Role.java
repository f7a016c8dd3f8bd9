package dev.aviary.controller.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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

  /** The roles {@code granted} reach through the hierarchy, by their wire names. */
  static Set<String> reachable(Set<Role> granted) {
    Set<Role> all = EnumSet.noneOf(Role.class);
    for (Role r : granted) {
      all.add(r);
      if (r == ADMIN) {
        all.add(OPERATOR);
      }
      if (r == ADMIN || r == OPERATOR) {
        all.add(VIEWER);
        all.add(PIPELINE);
      }
    }
    Set<String> names = new TreeSet<>();
    all.forEach(r -> names.add(r.wireName()));
    return Set.copyOf(names);
  }

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
