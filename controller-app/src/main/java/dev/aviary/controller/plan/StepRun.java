package dev.aviary.controller.plan;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a step sees of the rollout running it, and the two things it may ask for. The rollout
 * feature implements it over its aggregate; step handlers stay free of how rollouts are stored.
 */
public interface StepRun {

  /** The weight the router confirmed. */
  int canaryWeight();

  /** Whether the plan judges the canary at all. */
  boolean hasAnalysis();

  /** Analyses that passed since this step was entered. */
  int passingAnalyses();

  /** When this step was entered. */
  @Nullable Instant stepStartedAt();

  Instant now();

  /** Since when the step has waited without a person stepping in: its start, or the last resume. */
  @Nullable Instant stepWaitingSince();

  /** Records {@code weight} as desired; the router is driven to it on the next tick. */
  void wantWeight(int weight);

  /**
   * Whether the router holds the header routes and mirroring the steps so far ask for, this one's
   * included; drives it there when it does not (a failed call answers false, and is counted).
   */
  boolean routesApplied();

  /** Pauses the rollout for {@code duration}, or until a person resumes when it is null. */
  void pause(@Nullable Duration duration);

  /**
   * Judges a parallel-run step on the comparisons reported since it began: rolls the rollout back
   * or pauses it as {@code step} says, and answers whether the step passed.
   */
  boolean parallelRunPassed(Step.ParallelRun step);

  /** An approval step began: records who is asked, and until when. */
  void approvalNeeded(Step.Approval step);

  /** Nobody answered {@code step} in time: pauses or rolls back, as it says. */
  void approvalTimedOut(Step.Approval step);
}
