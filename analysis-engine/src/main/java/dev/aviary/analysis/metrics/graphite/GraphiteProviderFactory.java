package dev.aviary.analysis.metrics.graphite;

import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.ParsedProviderFactory;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.http.AddressSettings;
import dev.aviary.kernel.Parsed;
import java.util.Map;

/**
 * Graphite, over graphite-web's render API: {@code address} and the shared {@code timeout}, {@code
 * headers} and {@code auth}.
 */
public final class GraphiteProviderFactory extends ParsedProviderFactory<AddressSettings> {

  public static final String TYPE = "graphite";

  public GraphiteProviderFactory() {
    super(TYPE);
  }

  @Override
  protected Parsed<AddressSettings> parse(Map<String, ?> settings) {
    return AddressSettings.parse(settings);
  }

  @Override
  protected MetricProvider create(AddressSettings settings, ProviderContext context) {
    return new GraphiteProvider(settings, context);
  }
}
