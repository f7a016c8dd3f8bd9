package dev.aviary.controller.analysis;

import dev.aviary.controller.plan.PlanSpec;
import dev.aviary.kernel.Durations;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables metric queries are rendered with, one set per side: for the canary, {@code version}
 * is the canary's version; for the baseline, the baseline's. Both carry {@code canary}, {@code
 * baseline}, {@code plan}, {@code rollout} and {@code interval}.
 */
public record QueryVariables(Map<String, String> canary, Map<String, String> baseline) {

  public QueryVariables {
    canary = Map.copyOf(canary);
    baseline = Map.copyOf(baseline);
  }

  /** The variables of a rollout of {@code plan} started with these scopes. */
  public static QueryVariables of(
      String planName,
      String rolloutId,
      Map<String, String> canaryScope,
      Map<String, String> baselineScope,
      PlanSpec plan) {
    Map<String, String> common = new LinkedHashMap<>();
    common.put("plan", planName);
    common.put("rollout", rolloutId);
    common.put("canary", canaryScope.getOrDefault("version", ""));
    common.put("baseline", baselineScope.getOrDefault("version", ""));
    if (plan.analysis() != null) {
      common.put("interval", Durations.format(plan.analysis().interval()));
    }
    Map<String, String> forCanary = new LinkedHashMap<>(common);
    forCanary.putAll(canaryScope);
    Map<String, String> forBaseline = new LinkedHashMap<>(common);
    forBaseline.putAll(baselineScope);
    return new QueryVariables(forCanary, forBaseline);
  }
}
