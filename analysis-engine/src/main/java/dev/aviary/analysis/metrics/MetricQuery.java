package dev.aviary.analysis.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One query: a template rendered for one scope (canary or baseline) over a time range.
 *
 * @param template the query with {@code ${variable}} placeholders
 * @param variables the scope's variables: {@code canary}, {@code baseline}, {@code version}, {@code
 *     interval}, {@code plan}, {@code rollout} and whatever the rollout was started with
 * @param start start of the range
 * @param end end of the range (also the evaluation time of instant queries)
 * @param step resolution of range queries; null lets the provider choose
 * @param aggregation how several returned series become one
 */
public record MetricQuery(
    String template,
    @Nullable Map<String, String> variables,
    Instant start,
    Instant end,
    @Nullable Duration step,
    SeriesAggregation aggregation) {

  /** The variables every query has, from its range: {@code start}, {@code end}, {@code window}. */
  public static final java.util.Set<String> RANGE_VARIABLES =
      java.util.Set.of("start", "end", "window");

  public MetricQuery {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("end must not be before start");
    }
    variables = variables == null ? Map.of() : Map.copyOf(variables);
    aggregation = aggregation == null ? SeriesAggregation.NONE : aggregation;
  }

  /**
   * The template with every variable replaced; {@code ${start}} and {@code ${end}} are the range's
   * bounds in Unix seconds, {@code ${window}} its length as a Prometheus duration ({@code 60s}), or
   * the step's when the query has one: what {@code increase(...[${window}])} needs to cover one
   * window exactly. Each value is escaped for where it stands in {@code language}.
   */
  public String rendered(QueryLanguage language) {
    return QueryTemplate.render(template, allVariables(), language);
  }

  /** Renders another template (a request body, say) with the same variables. */
  public String render(String otherTemplate, QueryLanguage language) {
    return QueryTemplate.render(otherTemplate, allVariables(), language);
  }

  private Map<String, String> allVariables() {
    Map<String, String> all = new LinkedHashMap<>(variables);
    all.putIfAbsent("start", String.valueOf(start.getEpochSecond()));
    all.putIfAbsent("end", String.valueOf(end.getEpochSecond()));
    all.putIfAbsent("window", promDuration(step != null ? step : range()));
    return all;
  }

  /** A duration as Prometheus writes it: whole seconds, or milliseconds below a second. */
  public static String promDuration(Duration d) {
    long millis = Math.max(1, d.toMillis());
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  /**
   * The same query over a range {@code delay} earlier: how a provider reads a backend that ingests
   * with a delay (CloudWatch, Datadog), so that a window is only read once its data has arrived.
   */
  public MetricQuery shifted(Duration delay) {
    if (delay.isZero()) {
      return this;
    }
    return new MetricQuery(
        template, variables, start.minus(delay), end.minus(delay), step, aggregation);
  }

  public Duration range() {
    return Duration.between(start, end);
  }
}
