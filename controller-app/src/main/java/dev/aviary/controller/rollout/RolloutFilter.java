package dev.aviary.controller.rollout;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a list of rollouts is narrowed to; null and empty mean any.
 *
 * @param plan the plan's name
 * @param phase the phase
 * @param version the canary's {@code version}
 * @param labels labels the plan carries, all of them
 */
public record RolloutFilter(
    @Nullable String plan,
    @Nullable Phase phase,
    @Nullable String version,
    Map<String, String> labels) {
  public RolloutFilter {
    labels = Map.copyOf(labels);
  }
}
