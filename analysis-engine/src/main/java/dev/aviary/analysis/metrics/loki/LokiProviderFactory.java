package dev.aviary.analysis.metrics.loki;

import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.ParsedProviderFactory;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.http.AddressSettings;
import dev.aviary.kernel.Parsed;
import java.util.Map;

/**
 * Loki, over its HTTP query API: {@code address} and the shared {@code timeout}, {@code headers} (a
 * multi-tenant Loki's {@code X-Scope-OrgID}) and {@code auth}.
 */
public final class LokiProviderFactory extends ParsedProviderFactory<AddressSettings> {

  public static final String TYPE = "loki";

  public LokiProviderFactory() {
    super(TYPE);
  }

  @Override
  protected Parsed<AddressSettings> parse(Map<String, ?> settings) {
    return AddressSettings.parse(settings);
  }

  @Override
  protected MetricProvider create(AddressSettings settings, ProviderContext context) {
    return new LokiProvider(settings, context);
  }

  /** Range queries answer one point per step, as Prometheus's do. */
  @Override
  public boolean replaysRanges() {
    return true;
  }
}
