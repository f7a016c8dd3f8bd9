package dev.aviary.analysis.metrics.influxdb;

import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.kernel.SettingViolation;
import java.util.List;
import java.util.Map;

/** InfluxDB 1.x (InfluxQL) and 2.x (Flux). */
public final class InfluxDbProviderFactory implements MetricProviderFactory {

  public static final String TYPE = "influxdb";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<SettingViolation> validate(Map<String, ?> settings) {
    return InfluxDbSettings.parse(settings).violations();
  }

  @Override
  public MetricProvider create(Map<String, ?> settings, ProviderContext context) {
    return new InfluxDbProvider(
        InfluxDbSettings.parse(settings).orThrow("influxdb settings"), context);
  }
}
