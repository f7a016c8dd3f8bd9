package dev.aviary.analysis.metrics.prometheus;

import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.kernel.SettingViolation;
import java.util.List;
import java.util.Map;

/** Prometheus and its API-compatible stores, over the HTTP query API. */
public final class PrometheusProviderFactory implements MetricProviderFactory {

  public static final String TYPE = "prometheus";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<SettingViolation> validate(Map<String, ?> settings) {
    return PrometheusSettings.parse(settings).violations();
  }

  @Override
  public MetricProvider create(Map<String, ?> settings, ProviderContext context) {
    return new PrometheusProvider(
        PrometheusSettings.parse(settings).orThrow("prometheus settings"), context);
  }
}
