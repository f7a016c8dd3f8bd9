package dev.aviary.controller.plan;

import dev.aviary.analysis.judge.JudgeOptions;
import dev.aviary.analysis.judge.MetricSpec;
import dev.aviary.analysis.metrics.SeriesAggregation;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One metric of a plan: where its numbers come from and how they are judged.
 *
 * @param provider the metrics backend and its settings
 * @param canaryQuery the query template rendered for the canary
 * @param baselineQuery the query template for the baseline; null when only a threshold applies
 * @param seriesAggregation how several returned series become one
 * @param judging direction, threshold, criticality, the judge and the rest
 * @param judgeOverride the metric's own judge when it names one; null when it follows the plan's
 */
public record MetricDefinition(
    ProviderSpec provider,
    String canaryQuery,
    @Nullable String baselineQuery,
    SeriesAggregation seriesAggregation,
    MetricSpec judging,
    @Nullable JudgeOptions judgeOverride) {

  public String name() {
    return judging.name();
  }

  /**
   * A metrics backend.
   *
   * @param type a registered provider type, e.g. {@code prometheus}
   * @param settings its settings, validated by the provider
   */
  public record ProviderSpec(String type, Map<String, Object> settings) {
    public ProviderSpec {
      settings = Map.copyOf(settings);
    }
  }
}
