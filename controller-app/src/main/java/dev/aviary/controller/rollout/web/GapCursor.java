package dev.aviary.controller.rollout.web;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Where a reader of an identity-keyed log stands when ids become visible out of order: an event's
 * id is taken when it is written and seen when its transaction commits, so id 7 can appear before
 * id 6. The position only moves past a missing id once it has appeared, or once it has been missing
 * for longer than the patience (a rolled-back transaction, or a value the sequence skipped); an id
 * above the position that was already delivered is not delivered again when it is read again.
 */
final class GapCursor {

  private final Duration patience;
  private long position = -1;
  private final TreeSet<Long> delivered = new TreeSet<>();
  private final Map<Long, Instant> missingSince = new HashMap<>();

  GapCursor(Duration patience) {
    this.patience = patience;
  }

  boolean started() {
    return position >= 0;
  }

  /** Starts at {@code id}: everything up to it counts as read. */
  void start(long id) {
    position = id;
    delivered.clear();
    missingSince.clear();
  }

  /** Forgets where it was (nobody reads). */
  void reset() {
    position = -1;
    delivered.clear();
    missingSince.clear();
  }

  /** Every id up to here is read or given up; read again from above it. */
  long position() {
    return position;
  }

  /** An id read: whether it is new, to be delivered. */
  boolean offer(long id) {
    return id > position && delivered.add(id);
  }

  /** Moves the position over every id now read, and over ids missing for longer than patience. */
  void advance(Instant now) {
    while (!delivered.isEmpty()) {
      long next = position + 1;
      if (delivered.remove(next)) {
        position = next;
        missingSince.remove(next);
        continue;
      }
      Instant since = missingSince.computeIfAbsent(next, k -> now);
      if (Duration.between(since, now).compareTo(patience) < 0) {
        return;
      }
      missingSince.remove(next);
      position = next;
    }
  }
}
