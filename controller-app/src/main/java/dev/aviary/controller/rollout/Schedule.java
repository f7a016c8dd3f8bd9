package dev.aviary.controller.rollout;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** When a rollout is next worked on, how long a timed pause lasts, and when it last progressed. */
@Embeddable
class Schedule {

  @Column(name = "next_tick_at")
  private @Nullable Instant nextTickAt;

  @Column(name = "pause_until")
  private @Nullable Instant pauseUntil;

  @Column(name = "last_progress_at")
  private @Nullable Instant lastProgressAt;

  @Nullable Instant nextTickAt() {
    return nextTickAt;
  }

  @Nullable Instant pauseUntil() {
    return pauseUntil;
  }

  @Nullable Instant lastProgressAt() {
    return lastProgressAt;
  }

  void dueAt(@Nullable Instant at) {
    nextTickAt = at;
  }

  void pauseUntil(@Nullable Instant until) {
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
