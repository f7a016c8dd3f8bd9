package dev.aviary.controller.rollout;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;

/** When a rollout is next worked on, how long a timed pause lasts, and when it last progressed. */
@Embeddable
class Schedule {

  @Column(name = "next_tick_at")
  private Instant nextTickAt;

  @Column(name = "pause_until")
  private Instant pauseUntil;

  @Column(name = "last_progress_at")
  private Instant lastProgressAt;

  Instant nextTickAt() {
    return nextTickAt;
  }

  Instant pauseUntil() {
    return pauseUntil;
  }

  Instant lastProgressAt() {
    return lastProgressAt;
  }

  void dueAt(Instant at) {
    nextTickAt = at;
  }

  void pauseUntil(Instant until) {
    pauseUntil = until;
  }

  void progressed(Instant now) {
    lastProgressAt = now;
  }

  void stop() {
    nextTickAt = null;
    pauseUntil = null;
  }

  void restart(Instant now) {
    lastProgressAt = null;
    pauseUntil = null;
    nextTickAt = now;
  }
}
