package dev.aviary.controller.plan;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One step of a plan's ramp. What each kind does — reading, writing, entering, completing — is its
 * {@link StepHandler}'s; a new kind is a record here and a handler in {@link StepHandlers}.
 */
public sealed interface Step permits Step.SetWeight, Step.Pause, Step.Analysis {

  /** The step's name on the wire, as its handler reads it. */
  default String kind() {
    return StepHandlers.of(this).kind();
  }

  /**
   * Send {@code weight} percent of traffic to the canary. With analysis configured, the step holds
   * until an analysis tick after the warm-up passes at this weight.
   */
  record SetWeight(int weight) implements Step {
    public SetWeight {
      if (weight < 0 || weight > 100) {
        throw new IllegalArgumentException("weight must be 0..100");
      }
    }
  }

  /** Wait for {@code duration}, or, when it is null, until a person resumes. */
  record Pause(@Nullable Duration duration) implements Step {
    public boolean untilResumed() {
      return duration == null;
    }
  }

  /**
   * Hold at the current weight until {@code count} analysis ticks have passed and, if set, at least
   * {@code duration} has gone by.
   */
  record Analysis(int count, @Nullable Duration duration) implements Step {
    public Analysis {
      if (count < 1) {
        throw new IllegalArgumentException("count must be at least 1");
      }
    }
  }
}
