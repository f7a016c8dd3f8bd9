package dev.aviary.controller.rollout;

import java.util.Map;

/**
 * What starting a rollout takes: which plan, the canary's scope (its {@code version} and any other
 * variables the plan's queries use), the baseline's, and free metadata for people.
 */
public record StartRequest(
    String plan,
    Map<String, String> canary,
    Map<String, String> baseline,
    Map<String, String> metadata) {

  public StartRequest {
    canary = Map.copyOf(canary);
    baseline = Map.copyOf(baseline);
    metadata = Map.copyOf(metadata);
  }
}
