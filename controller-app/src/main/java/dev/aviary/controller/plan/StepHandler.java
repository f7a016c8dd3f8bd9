package dev.aviary.controller.plan;

import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.kernel.SettingsReader;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Everything one kind of step does: how it is read from and written to a plan document, how it is
 * described to people, and what it does when a rollout enters it and when it is complete. Each kind
 * has one handler, registered in {@link StepHandlers}; a test checks that every permitted {@link
 * Step} has one.
 *
 * @param <S> the step record
 */
public interface StepHandler<S extends Step> {

  /** What entering a step asks of the rollout. */
  enum Entry {
    /** Nothing more this tick: go on to completion. */
    CONTINUE,
    /** A new weight was recorded; the next tick, due at once, drives the router there. */
    WEIGHT_WANTED,
    /** The rollout paused. */
    PAUSED
  }

  /** The key of the step in a plan document: {@code {"setWeight": 10}}. */
  String kind();

  Class<S> type();

  /**
   * Reads the step from {@code step}, the reader over the one-key object (its value under {@link
   * #kind()}), reporting violations to it; null when invalid.
   */
  @Nullable S read(SettingsReader step, StepReading context);

  /** The step in the canonical plan document: its field of {@link PlanDocument.StepDocument}. */
  PlanDocument.StepDocument write(S step);

  /** One line for people: {@code setWeight 10%}. */
  String describe(S step);

  /** What entering the step does. */
  Entry enter(S step, StepRun run);

  /** Whether the rollout may move past the step. */
  boolean complete(S step, StepRun run);

  /** What the step asks of the plan's router beyond a weighted split. */
  default Set<RouterCapability> requires(S step) {
    return Set.of();
  }

  /** Whether a person's resume completes the step (a pause does; a weight does not). */
  default boolean completedByResume() {
    return false;
  }

  /**
   * What reading one step may need to know of the plan around it.
   *
   * @param index the step's position, for messages
   * @param hasAnalysis whether the plan judges the canary
   * @param previousWeight the highest weight of the steps before it, -1 if none
   * @param previousWeightAt where that weight was set, e.g. {@code steps[1]}
   */
  record StepReading(
      int index, boolean hasAnalysis, int previousWeight, @Nullable String previousWeightAt) {}
}
