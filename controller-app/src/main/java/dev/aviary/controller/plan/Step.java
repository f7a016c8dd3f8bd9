package dev.aviary.controller.plan;

import java.time.Duration;

/** One step of a plan's ramp. */
public sealed interface Step permits Step.SetWeight, Step.Pause, Step.Analysis {

  /** The step's name on the wire: {@code setWeight}, {@code pause} or {@code analysis}. */
  String kind();

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

    @Override
    public String kind() {
      return "setWeight";
    }
  }

  /** Wait for {@code duration}, or, when it is null, until a person resumes. */
  record Pause(Duration duration) implements Step {
    public boolean untilResumed() {
      return duration == null;
    }

    @Override
    public String kind() {
      return "pause";
    }
  }

  /**
   * Hold at the current weight until {@code count} analysis ticks have passed and, if set, at least
   * {@code duration} has gone by.
   */
  record Analysis(int count, Duration duration) implements Step {
    public Analysis {
      if (count < 1) {
        throw new IllegalArgumentException("count must be at least 1");
      }
    }

    @Override
    public String kind() {
      return "analysis";
    }
  }
}
