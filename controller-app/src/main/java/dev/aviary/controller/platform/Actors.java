package dev.aviary.controller.platform;

/** Who is acting: the caller of a request, or the scheduler. Recorded with every change. */
public interface Actors {

  /** The actor recorded for changes made by the scheduler itself. */
  String SCHEDULER = "scheduler";

  /** The authenticated caller of the current request, or {@code anonymous}. */
  String current();
}
