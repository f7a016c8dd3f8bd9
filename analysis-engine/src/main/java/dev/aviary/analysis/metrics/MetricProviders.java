package dev.aviary.analysis.metrics;

import dev.aviary.analysis.metrics.prometheus.PrometheusProviderFactory;
import dev.aviary.analysis.metrics.web.WebProviderFactory;
import dev.aviary.kernel.SecretResolver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The metric provider types Aviary knows, by name. */
public final class MetricProviders {

  private final Map<String, MetricProviderFactory> byType = new LinkedHashMap<>();

  public MetricProviders(List<? extends MetricProviderFactory> factories) {
    for (MetricProviderFactory f : factories) {
      if (byType.putIfAbsent(f.type(), f) != null) {
        throw new IllegalArgumentException("two metric providers named " + f.type());
      }
    }
  }

  /** Every provider that ships with Aviary. A new provider adds its line here. */
  public static MetricProviders builtIn(SecretResolver secrets) {
    return new MetricProviders(
        List.of(new PrometheusProviderFactory(secrets), new WebProviderFactory(secrets)));
  }

  public Optional<MetricProviderFactory> find(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  public Set<String> types() {
    return byType.keySet();
  }
}
