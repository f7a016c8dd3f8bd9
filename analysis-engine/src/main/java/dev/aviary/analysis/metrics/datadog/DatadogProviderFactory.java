package dev.aviary.analysis.metrics.datadog;

import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.kernel.SettingViolation;
import java.util.List;
import java.util.Map;

/** Datadog, over its metrics query API. */
public final class DatadogProviderFactory implements MetricProviderFactory {

  public static final String TYPE = "datadog";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<SettingViolation> validate(Map<String, ?> settings) {
    return DatadogSettings.parse(settings).violations();
  }

  @Override
  public MetricProvider create(Map<String, ?> settings, ProviderContext context) {
    return new DatadogProvider(
        DatadogSettings.parse(settings).orThrow("datadog settings"), context);
  }
}
