package dev.aviary.controller.routing;

import dev.aviary.analysis.metrics.QueryLanguage;
import java.util.Optional;
import java.util.Set;

/**
 * Istio's standard metrics as ready-made metrics, for every router whose traffic Istio's sidecars
 * carry (the Istio router, and the Gateway API router on Istio): {@code istio_requests_total} and
 * {@code istio_request_duration_milliseconds_bucket} as the destination reports them ({@code
 * reporter="destination"}), of the given services in their namespaces, each side by {@code
 * destination_version} — which Istio takes from the pods' {@code version} label.
 */
public final class IstioStandardMetrics {

  private IstioStandardMetrics() {}

  /** The names offered. */
  public static final Set<String> OFFERED =
      Set.of(RouterMetric.HTTP_ERROR_RATE, RouterMetric.HTTP_LATENCY);

  /**
   * Metric {@code name} of {@code services} in {@code namespaces} (DNS names, checked by the
   * caller); empty for a name not offered.
   */
  public static Optional<RouterMetric> of(
      String name, Set<String> services, Set<String> namespaces) {
    if (!OFFERED.contains(name)) {
      return Optional.empty();
    }
    String selector =
        "reporter=\"destination\",destination_service_namespace=~\""
            + QueryLanguage.promqlAnyOf(new java.util.TreeSet<>(namespaces))
            + "\",destination_service_name=~\""
            + QueryLanguage.promqlAnyOf(new java.util.TreeSet<>(services))
            + "\",destination_version=\"${version}\"";
    String source = "Istio's standard metrics, scraped from the sidecars by Prometheus";
    if (name.equals(RouterMetric.HTTP_LATENCY)) {
      return Optional.of(
          RouterMetric.histogram(
              "sum by (le) (increase(istio_request_duration_milliseconds_bucket{"
                  + selector
                  + "}[${window}]))",
              "prometheus",
              source + " (istio_request_duration_milliseconds)"));
    }
    String bad =
        "sum(increase(istio_requests_total{" + selector + ",response_code=~\"5..\"}[${window}]))";
    String total = "sum(increase(istio_requests_total{" + selector + "}[${window}]))";
    return Optional.of(
        new RouterMetric(bad, total, bad, total, "prometheus", source + " (istio_requests_total)"));
  }
}
