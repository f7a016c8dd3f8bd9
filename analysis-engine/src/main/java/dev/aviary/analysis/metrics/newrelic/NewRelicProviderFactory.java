package dev.aviary.analysis.metrics.newrelic;

import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.kernel.SettingViolation;
import java.util.List;
import java.util.Map;

/** New Relic, NRQL over NerdGraph. */
public final class NewRelicProviderFactory implements MetricProviderFactory {

  public static final String TYPE = "newrelic";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<SettingViolation> validate(Map<String, ?> settings) {
    return NewRelicSettings.parse(settings).violations();
  }

  @Override
  public MetricProvider create(Map<String, ?> settings, ProviderContext context) {
    return new NewRelicProvider(
        NewRelicSettings.parse(settings).orThrow("newrelic settings"), context);
  }
}
