package dev.aviary.controller.plan;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One step of a plan's ramp. What each kind does — reading, writing, entering, completing — is its
 * {@link StepHandler}'s; a new kind is a record here and a handler in {@link StepHandlers}.
 */
public sealed interface Step permits Step.SetWeight, Step.Pause, Step.Analysis, Step.ParallelRun {

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

  /**
   * Compare the candidate's answers with the trusted version's through a comparing proxy, before
   * the candidate gets any traffic of its own: after {@code warmup} (comparisons of a cold
   * candidate are not judged) and for at least {@code duration}, the proxy copies {@code sample} of
   * requests; the step passes once the mismatch rate (noise removed) is shown below {@code
   * maxMismatchRate} over at least {@code minComparisons} comparisons, and rolls the rollout back
   * as soon as it is shown above. Undecided after {@code maxDuration}, or with too few comparisons,
   * the rollout pauses for a person: missing comparisons never pass.
   *
   * @param noiseRelative Diffy's relative noise threshold, see {@code NoiseThresholds}
   * @param noiseAbsolute Diffy's absolute noise threshold
   */
  record ParallelRun(
      Duration warmup,
      Duration duration,
      double sample,
      double maxMismatchRate,
      long minComparisons,
      Duration maxDuration,
      double noiseRelative,
      double noiseAbsolute)
      implements Step {
    public ParallelRun {
      if (!(sample > 0 && sample <= 1)) {
        throw new IllegalArgumentException("sample must lie in (0, 1]");
      }
      if (!(maxMismatchRate >= 0 && maxMismatchRate < 1)) {
        throw new IllegalArgumentException("maxMismatchRate must lie in [0, 1)");
      }
      if (minComparisons < 1) {
        throw new IllegalArgumentException("minComparisons must be at least 1");
      }
      if (warmup.isNegative() || maxDuration.compareTo(warmup.plus(duration)) < 0) {
        throw new IllegalArgumentException(
            "maxDuration must not be shorter than warmup + duration");
      }
    }
  }
}
