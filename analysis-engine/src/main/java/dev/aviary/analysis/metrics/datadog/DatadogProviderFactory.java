package dev.aviary.analysis.metrics.datadog;

import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.ParsedProviderFactory;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.kernel.Parsed;
import java.util.Map;

/** Datadog, over its metrics query API. */
public final class DatadogProviderFactory extends ParsedProviderFactory<DatadogSettings> {

  public static final String TYPE = "datadog";

  public DatadogProviderFactory() {
    super(TYPE);
  }

  @Override
  protected Parsed<DatadogSettings> parse(Map<String, ?> settings) {
    return DatadogSettings.parse(settings);
  }

  @Override
  protected MetricProvider create(DatadogSettings settings, ProviderContext context) {
    return new DatadogProvider(settings, context);
  }
}
