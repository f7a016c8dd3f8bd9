package dev.aviary.analysis.metrics.newrelic;

import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.ParsedProviderFactory;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.kernel.Parsed;
import java.util.Map;

/** New Relic, NRQL over NerdGraph. */
public final class NewRelicProviderFactory extends ParsedProviderFactory<NewRelicSettings> {

  public static final String TYPE = "newrelic";

  public NewRelicProviderFactory() {
    super(TYPE);
  }

  @Override
  protected Parsed<NewRelicSettings> parse(Map<String, ?> settings) {
    return NewRelicSettings.parse(settings);
  }

  @Override
  protected MetricProvider create(NewRelicSettings settings, ProviderContext context) {
    return new NewRelicProvider(settings, context);
  }
}
