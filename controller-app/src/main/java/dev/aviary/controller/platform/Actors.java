package dev.aviary.controller.platform;

import java.util.Set;

/** Who is acting: the caller of a request, or the scheduler. Recorded with every change. */
public interface Actors {

  /** The actor recorded for changes made by the scheduler itself. */
  String SCHEDULER = "scheduler";

  /** The authenticated caller of the current request, or {@code anonymous}. */
  String current();

  /**
   * The roles of the current caller as plans name them ({@code viewer}, {@code pipeline}, {@code
   * operator}, {@code admin}), widened by the hierarchy: an admin holds all four. Empty for nobody.
   */
  Set<String> currentRoles();
}
