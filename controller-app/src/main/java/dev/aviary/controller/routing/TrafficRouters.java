package dev.aviary.controller.routing;

import java.util.Collection;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** Every router type this controller knows, by name. */
@Component
public class TrafficRouters {

  private final SortedMap<String, TrafficRouterFactory> byType = new TreeMap<>();

  public TrafficRouters(Collection<TrafficRouterFactory> factories) {
    for (TrafficRouterFactory f : factories) {
      if (byType.putIfAbsent(f.type(), f) != null) {
        throw new IllegalStateException("two traffic routers named " + f.type());
      }
    }
  }

  public Optional<TrafficRouterFactory> find(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  public java.util.Set<String> types() {
    return byType.keySet();
  }
}
