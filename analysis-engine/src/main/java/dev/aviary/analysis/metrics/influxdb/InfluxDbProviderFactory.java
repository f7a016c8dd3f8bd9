package dev.aviary.analysis.metrics.influxdb;

import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.ParsedProviderFactory;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.kernel.Parsed;
import java.util.Map;

/** InfluxDB 1.x (InfluxQL) and 2.x (Flux). */
public final class InfluxDbProviderFactory extends ParsedProviderFactory<InfluxDbSettings> {

  public static final String TYPE = "influxdb";

  public InfluxDbProviderFactory() {
    super(TYPE);
  }

  @Override
  protected Parsed<InfluxDbSettings> parse(Map<String, ?> settings) {
    return InfluxDbSettings.parse(settings);
  }

  @Override
  protected MetricProvider create(InfluxDbSettings settings, ProviderContext context) {
    return new InfluxDbProvider(settings, context);
  }
}
