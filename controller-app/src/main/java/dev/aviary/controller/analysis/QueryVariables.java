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
public record QueryVariables(
    Map<String, String> canary, Map<String, String> baseline, boolean groupsSwapped) {

  public QueryVariables {
    canary = Map.copyOf(canary);
    baseline = Map.copyOf(baseline);
  }

  public QueryVariables(Map<String, String> canary, Map<String, String> baseline) {
    this(canary, baseline, false);
  }

  /**
   * The same variables for a release on the router's stable group (alternating slots): count
   * templates written per group ({@code counts.baseline}, a router's ready-made metric) then read
   * the new version from the stable group's templates and the live one from the canary group's.
   */
  public QueryVariables onStableGroup(boolean stable) {
    return new QueryVariables(canary, baseline, stable);
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
