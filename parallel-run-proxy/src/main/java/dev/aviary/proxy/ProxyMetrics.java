package dev.aviary.proxy;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The proxy's Prometheus metrics. Endpoint and path labels are bounded: past {@link #MAX_SERIES}
 * distinct ones, they are counted under {@code other}.
 */
final class ProxyMetrics {

  static final int MAX_SERIES = 1000;

  final PrometheusRegistry registry = new PrometheusRegistry();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Counter requests =
      Counter.builder()
          .name("aviary_proxy_requests_total")
          .help("Caller requests, by whether a copy was sent to the candidate")
          .labelNames("mirrored")
          .register(registry);
  private final Counter comparisons =
      Counter.builder()
          .name("aviary_parallel_run_comparisons_total")
          .help(
              "Requests whose candidate answer was compared with the primary's, by endpoint and"
                  + " whether they differed anywhere (noise included)")
          .labelNames("endpoint", "result")
          .register(registry);
  private final Counter differences =
      Counter.builder()
          .name("aviary_parallel_run_differences_total")
          .help(
              "Requests that differed from the primary's answer at a field path, by endpoint,"
                  + " path and which side differed (candidate, or secondary: noise)")
          .labelNames("endpoint", "path", "against")
          .register(registry);
  private final Counter skipped =
      Counter.builder()
          .name("aviary_parallel_run_skipped_total")
          .help("Requests sampled for comparison but not mirrored, by endpoint and reason")
          .labelNames("endpoint", "reason")
          .register(registry);
  private final Counter notMirrored =
      Counter.builder()
          .name("aviary_parallel_run_unsafe_not_mirrored_total")
          .help(
              "Requests with an unsafe method on a route not listed as safe to repeat: never"
                  + " mirrored")
          .register(registry);
  final Gauge inFlight =
      Gauge.builder()
          .name("aviary_parallel_run_in_flight")
          .help("Mirrored exchanges waiting for the candidate or secondary")
          .register(registry);
  final Gauge sample =
      Gauge.builder()
          .name("aviary_parallel_run_sample")
          .help("The share of requests compared now (0 when no parallel run is active)")
          .register(registry);

  {
    GaugeWithCallback.builder()
        .name("aviary_proxy_heap_used_bytes")
        .help("The proxy's JVM heap in use")
        .callback(
            cb ->
                cb.call(
                    (double)
                        java.lang.management.ManagementFactory.getMemoryMXBean()
                            .getHeapMemoryUsage()
                            .getUsed()))
        .register(registry);
  }

  void request(boolean mirrored) {
    requests.labelValues(String.valueOf(mirrored)).inc();
  }

  void unsafeNotMirrored() {
    notMirrored.inc();
  }

  void skipped(String endpoint, String reason) {
    skipped.labelValues(bound(endpoint), reason).inc();
  }

  void compared(String endpoint, SortedSet<String> candidate, SortedSet<String> secondary) {
    String e = bound(endpoint);
    comparisons.labelValues(e, candidate.isEmpty() ? "same" : "different").inc();
    for (String p : candidate) {
      differences.labelValues(e, bound(p), "candidate").inc();
    }
    for (String p : secondary) {
      differences.labelValues(e, bound(p), "secondary").inc();
    }
  }

  private String bound(String label) {
    if (seen.contains(label)) {
      return label;
    }
    if (seen.size() < MAX_SERIES) {
      seen.add(label);
      return label;
    }
    return "other";
  }
}
