package dev.aviary.analysis.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/** The metric provider types Aviary knows, by name. */
public final class MetricProviders {

  private final Map<String, MetricProviderFactory> byType = new LinkedHashMap<>();

  public MetricProviders(List<? extends MetricProviderFactory> factories) {
    for (MetricProviderFactory f : factories) {
      if (byType.putIfAbsent(f.type(), f) != null) {
        throw new IllegalStateException(
            "two metric providers are named '"
                + f.type()
                + "': "
                + byType.get(f.type()).getClass().getName()
                + " and "
                + f.getClass().getName());
      }
    }
  }

  /**
   * Every provider registered in {@code META-INF/services} on the class path: those that ship with
   * Aviary and any a jar beside it adds.
   *
   * @throws java.util.ServiceConfigurationError when a registered class cannot be loaded, naming it
   */
  public static MetricProviders discover() {
    List<MetricProviderFactory> found = new ArrayList<>();
    ServiceLoader.load(MetricProviderFactory.class, MetricProviders.class.getClassLoader())
        .forEach(found::add);
    if (found.isEmpty()) {
      throw new IllegalStateException(
          "no metric provider is registered in META-INF/services/"
              + MetricProviderFactory.class.getName());
    }
    return new MetricProviders(found);
  }

  public Optional<MetricProviderFactory> find(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  /** The factories, in the order they were given. */
  public List<MetricProviderFactory> factories() {
    return List.copyOf(byType.values());
  }

  public Set<String> types() {
    return byType.keySet();
  }
}
