package dev.aviary.controller.analysis;

import java.util.Map;

/**
 * The variables metric queries are rendered with: for the canary, {@code version} is the canary's
 * version; for the baseline, the baseline's. Both carry {@code canary}, {@code baseline}, {@code
 * plan}, {@code rollout} and {@code interval}.
 */
public record Scopes(Map<String, String> canary, Map<String, String> baseline) {
  public Scopes {
    canary = Map.copyOf(canary);
    baseline = Map.copyOf(baseline);
  }
}
