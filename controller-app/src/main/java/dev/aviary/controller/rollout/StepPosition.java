package dev.aviary.controller.rollout;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Where a rollout stands in its plan's steps. */
@Embeddable
class StepPosition {

  @Column(name = "step_index", nullable = false)
  private int index;

  @Column(name = "step_entered", nullable = false)
  private boolean entered;

  @Column(name = "step_started_at")
  private @Nullable Instant startedAt;

  @Column(name = "step_waiting_since")
  private @Nullable Instant waitingSince;

  @Column(name = "step_successes", nullable = false)
  private int successes;

  int index() {
    return index;
  }

  boolean entered() {
    return entered;
  }

  @Nullable Instant startedAt() {
    return startedAt;
  }

  /** Since when the step has waited without a person stepping in: its start, or the last resume. */
  @Nullable Instant waitingSince() {
    return waitingSince != null ? waitingSince : startedAt;
  }

  /** A person resumed: the wait starts over. */
  void waitAgain(Instant now) {
    if (entered) {
      waitingSince = now;
    }
  }

  int successes() {
    return successes;
  }

  void enter(Instant now) {
    entered = true;
    startedAt = now;
    waitingSince = now;
    successes = 0;
  }

  void passed() {
    successes++;
  }

  void next() {
    index++;
    entered = false;
    successes = 0;
  }

  void skipTo(int stepCount) {
    index = stepCount;
    entered = false;
  }

  void restart() {
    index = 0;
    entered = false;
    successes = 0;
  }
}
