package dev.aviary.controller.plan;

import dev.aviary.controller.routing.HeaderRoute;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One step of a plan's ramp. What each kind does — reading, writing, entering, completing — is its
 * {@link StepHandler}'s; a new kind is a record here and a handler in {@link StepHandlers}.
 */
public sealed interface Step
    permits Step.SetWeight,
        Step.Pause,
        Step.Analysis,
        Step.ParallelRun,
        Step.Approval,
        Step.SetHeaderRoute,
        Step.Mirror {

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

  /**
   * Hold at the current weight until a person allowed to answer approves (the rollout goes on) or
   * rejects (it rolls back). Analysis goes on meanwhile: a failing canary still rolls back. Nobody
   * answering within {@code timeout} never approves: the rollout pauses for a person or rolls back,
   * as {@code onTimeout} says.
   *
   * @param roles who may answer: callers holding one of these roles, {@code operator} or {@code
   *     admin} (the hierarchy applies: an admin holds operator too)
   * @param approvers if not empty, only these actors ({@code oidc:alice}, {@code token:bot}) may
   *     answer, and only while they hold one of the roles
   * @param timeout how long an answer is waited for, from the step's start or the last resume
   * @param onTimeout what happens when nobody answered in time
   * @param excludeStarter whether the caller who started the rollout may not answer (four eyes)
   */
  record Approval(
      Set<String> roles,
      List<String> approvers,
      Duration timeout,
      OnTimeout onTimeout,
      boolean excludeStarter)
      implements Step {

    /**
     * The roles an approval step may name: answering is an operator's act (the API lets only
     * operators and admins steer rollouts); a step may narrow it to admins.
     */
    public static final Set<String> ROLES = Set.of("operator", "admin");

    /** What an approval step nobody answered in time does. */
    public enum OnTimeout {
      /** Pause: a person approves, rejects, or resumes to wait another {@code timeout}. */
      PAUSE,
      /** Roll back: an unapproved release does not stay half out. */
      ROLLBACK
    }

    public Approval {
      roles = Set.copyOf(roles);
      approvers = List.copyOf(approvers);
      if (roles.isEmpty() || !ROLES.containsAll(roles)) {
        throw new IllegalArgumentException("roles must be some of " + ROLES);
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
    }

    /** When a step that began waiting at {@code waitingSince} times out. */
    public Instant deadline(Instant waitingSince) {
      return waitingSince.plus(timeout);
    }
  }

  /**
   * Send requests matching {@code route} to the new version whatever the weight, from this step
   * until the rollout ends (promotion and rollback remove it), or until a later step of the same
   * {@code name} replaces it or, with no route, removes it.
   */
  record SetHeaderRoute(String name, @Nullable HeaderRoute route) implements Step {
    public SetHeaderRoute {
      if (route != null && !route.name().equals(name)) {
        throw new IllegalArgumentException("the route must carry the step's name");
      }
    }
  }

  /**
   * Copy {@code percent} of requests to the new version and throw its answers away, from this step
   * until the rollout ends or a later mirror step changes it ({@code 0} stops copying).
   */
  record Mirror(int percent) implements Step {
    public Mirror {
      if (percent < 0 || percent > 100) {
        throw new IllegalArgumentException("percent must be 0..100");
      }
    }
  }
}
