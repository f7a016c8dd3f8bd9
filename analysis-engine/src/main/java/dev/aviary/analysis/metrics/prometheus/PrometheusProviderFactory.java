package dev.aviary.analysis.metrics.prometheus;

import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.ParsedProviderFactory;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.kernel.Durations;
import dev.aviary.kernel.Parsed;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Prometheus and its API-compatible stores, over the HTTP query API. */
public final class PrometheusProviderFactory extends ParsedProviderFactory<PrometheusSettings> {

  public static final String TYPE = "prometheus";

  public PrometheusProviderFactory() {
    super(TYPE);
  }

  @Override
  protected Parsed<PrometheusSettings> parse(Map<String, ?> settings) {
    return PrometheusSettings.parse(settings);
  }

  @Override
  protected MetricProvider create(PrometheusSettings settings, ProviderContext context) {
    return new PrometheusProvider(settings, context);
  }

  @Override
  public boolean deliversHistograms() {
    return true;
  }

  @Override
  public boolean replaysRanges() {
    return true;
  }

  /**
   * A range query returns points one step apart; a range selector longer than the step makes
   * neighbouring points share most of their samples. Instant queries return one point.
   */
  @Override
  public Optional<String> overlappingPoints(
      Map<String, ?> settings, String template, Duration window) {
    PrometheusSettings parsed = PrometheusSettings.parse(settings).value();
    if (parsed == null || parsed.instant()) {
      return Optional.empty();
    }
    Duration step =
        parsed.step() != null
            ? parsed.step()
            : Duration.ofMillis(Math.max(1000, (window.toMillis() + 59) / 60));
    for (RangeSelectors.Range r : RangeSelectors.of(template, window)) {
      if (r.duration().compareTo(step) > 0) {
        return Optional.of(
            "the query's range ["
                + r.text()
                + "] is longer than the "
                + Durations.format(step)
                + " step between the points it returns for each window: neighbouring points share"
                + " most of their requests and are not independent observations, which a rank"
                + " test assumes (it would count the same requests many times). Declare the metric"
                + " as counts, {\"counts\": {\"bad\": \"sum(increase(errors[${window}]))\","
                + " \"total\": \"sum(increase(requests[${window}]))\"}}, judged sequentially;"
                + " or set the provider's step to at least "
                + Durations.format(r.duration())
                + " or its mode to instant");
      }
    }
    return Optional.empty();
  }
}
