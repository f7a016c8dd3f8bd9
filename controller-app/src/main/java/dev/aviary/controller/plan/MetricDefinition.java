package dev.aviary.controller.plan;

import dev.aviary.analysis.judge.DataShape;
import dev.aviary.analysis.judge.JudgeOptions;
import dev.aviary.analysis.judge.MetricSpec;
import dev.aviary.analysis.metrics.SeriesAggregation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One metric of a plan: where its numbers come from and how they are judged.
 *
 * @param provider the metrics backend and its settings
 * @param source the queries, in the metric's shape: a series, counts, or a histogram
 * @param seriesAggregation how several returned series become one (series only)
 * @param judging direction, threshold, criticality, the judge and the rest
 * @param judgeOverride the metric's own judge when it names one; null when it follows the plan's
 * @param template the ready-made metric or stored template the metric was made from ({@code
 *     http-error-rate}, {@code checkout-errors}), as the plan names it; null for a metric written
 *     with its queries
 * @param stored how a stored template was used (its revision, the plan's variables); null for a
 *     router's ready-made metric and for a metric written with its queries
 */
public record MetricDefinition(
    ProviderSpec provider,
    Source source,
    SeriesAggregation seriesAggregation,
    MetricSpec judging,
    @Nullable JudgeOptions judgeOverride,
    @Nullable String template,
    @Nullable StoredTemplateUse stored) {

  /** A metric written with its queries (not a ready-made template). */
  public MetricDefinition(
      ProviderSpec provider,
      Source source,
      SeriesAggregation seriesAggregation,
      MetricSpec judging,
      @Nullable JudgeOptions judgeOverride) {
    this(provider, source, seriesAggregation, judging, judgeOverride, null, null);
  }

  /** A metric written with its queries or made by the router ({@code template}). */
  public MetricDefinition(
      ProviderSpec provider,
      Source source,
      SeriesAggregation seriesAggregation,
      MetricSpec judging,
      @Nullable JudgeOptions judgeOverride,
      @Nullable String template) {
    this(provider, source, seriesAggregation, judging, judgeOverride, template, null);
  }

  /**
   * How a metric was made from a stored metric template.
   *
   * @param revision the template's revision the queries came from
   * @param pinned whether the plan named that revision ({@code templateRevision}); otherwise it
   *     follows the template's latest revision until a rollout starts, which keeps the one it began
   *     with
   * @param variables the values the plan gave the template's parameters
   * @param providerFromTemplate whether the provider is the template's (the plan named none)
   */
  public record StoredTemplateUse(
      int revision, boolean pinned, Map<String, String> variables, boolean providerFromTemplate) {

    public StoredTemplateUse {
      variables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(variables));
    }
  }

  public String name() {
    return judging.name();
  }

  public DataShape shape() {
    return source.shape();
  }

  /** The templates rendered with the canary's variables. */
  public List<String> canaryTemplates() {
    if (source instanceof Source.Series s) {
      return List.of(s.canary());
    }
    if (source instanceof Source.Counts c) {
      return List.of(c.bad(), c.total());
    }
    if (source instanceof Source.Histogram h) {
      return List.of(h.query());
    }
    return baselineTemplates();
  }

  /** The templates rendered with the baseline's variables; none for a canary-only series. */
  public List<String> baselineTemplates() {
    List<String> templates = new ArrayList<>();
    if (source instanceof Source.Series s) {
      if (s.baseline() != null) {
        templates.add(s.baseline());
      }
    } else if (source instanceof Source.Counts c) {
      templates.addAll(List.of(c.baselineBad(), c.baselineTotal()));
    } else if (source instanceof Source.Histogram h) {
      templates.add(h.baselineQuery());
    }
    return templates;
  }

  /** Where a metric's numbers come from, by the shape of its data. */
  public sealed interface Source {

    DataShape shape();

    /**
     * Values over the window, one point per step.
     *
     * @param canary the template rendered for the canary
     * @param baseline the template for the baseline; null when only a threshold applies
     */
    record Series(String canary, @Nullable String baseline) implements Source {
      @Override
      public DataShape shape() {
        return DataShape.SERIES;
      }
    }

    /**
     * Exact counts of each window, each template rendered for both sides in turn, unless the
     * baseline has templates of its own (a router's stable servers, where the canary's are other
     * servers rather than another version label).
     *
     * @param bad the bad events of the window (errors, slow requests)
     * @param total all events of the window
     * @param baselineOwn the baseline's own {@code bad} and {@code total}; null when both sides
     *     share the templates above
     */
    record Counts(String bad, String total, @Nullable Side baselineOwn) implements Source {

      /** One side's templates. */
      public record Side(String bad, String total) {}

      public Counts(String bad, String total) {
        this(bad, total, null);
      }

      @Override
      public DataShape shape() {
        return DataShape.COUNTS;
      }

      /** The baseline's bad-events template. */
      public String baselineBad() {
        return baselineOwn == null ? bad : baselineOwn.bad();
      }

      /** The baseline's all-events template. */
      public String baselineTotal() {
        return baselineOwn == null ? total : baselineOwn.total();
      }
    }

    /**
     * A latency histogram of each window: one series per bucket, labelled {@code le}, rendered for
     * both sides in turn, unless the baseline has a query of its own (a router's stable servers).
     *
     * @param query the template (the canary's, when the baseline has its own)
     * @param baselineOwn the baseline's own template; null when both sides share {@code query}
     */
    record Histogram(String query, @Nullable String baselineOwn) implements Source {

      public Histogram(String query) {
        this(query, null);
      }

      @Override
      public DataShape shape() {
        return DataShape.HISTOGRAM;
      }

      /** The baseline's template. */
      public String baselineQuery() {
        return baselineOwn == null ? query : baselineOwn;
      }
    }
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
