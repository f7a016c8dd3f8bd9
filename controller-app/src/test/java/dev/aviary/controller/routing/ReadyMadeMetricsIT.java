package dev.aviary.controller.routing;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviders;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.TimeSeries;
import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.testing.PrometheusServer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The ready-made metrics of the routers whose metrics cannot be produced here, against a real
 * Prometheus holding series shaped as those sources publish them, written with {@code promtool}:
 * Istio's standard metrics ({@code istio_requests_total}, {@code
 * istio_request_duration_milliseconds_bucket}, as the sidecars report them), the nginx VTS module's
 * Prometheus output ({@code nginx_vts_upstream_requests_total}, the format in the module's source)
 * and Contour's Envoy cluster statistics ({@code envoy_cluster_upstream_rq}, clusters named {@code
 * <namespace>_<service>_<port>}). Each side reads exactly its own requests and none of the decoys.
 * What the real sources would add: that a mesh's sidecars, a VTS-built nginx and Contour's Envoy
 * emit these series — no cluster runs here, and Debian's nginx has no VTS module. (HAProxy's is
 * checked on real traffic in the e2e scenarios.)
 */
@AviaryIntegrationTest
class ReadyMadeMetricsIT {

  /** Samples every 15 s over an hour that ended an hour ago. */
  static final Instant END =
      Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));

  static final Instant START = END.minus(Duration.ofHours(1));

  /** Per 15 s, per version: 200s, 503s, and cumulative buckets at 50 ms, 100 ms, +Inf. */
  static final Map<String, int[]> PER_SCRAPE =
      Map.of("1.0", new int[] {59, 1, 40, 55, 60}, "1.1", new int[] {57, 3, 30, 50, 60});

  /** Per 15 s: the stable server's 5xx and all, the canary server's 5xx and all. */
  static final int[] VTS = {1, 60, 4, 60};

  static PrometheusServer prometheus;

  @LocalServerPort int port;
  @Autowired TrafficRouters routers;

  @BeforeAll
  static void history() throws Exception {
    StringBuilder requests = new StringBuilder("# TYPE istio_requests counter\n");
    StringBuilder vts = new StringBuilder("# TYPE nginx_vts_upstream_requests counter\n");
    // Envoy names its counters without _total (envoy_cluster_upstream_rq), which OpenMetrics keeps
    // for counters: typed unknown here, the series is stored under Envoy's own name
    StringBuilder envoy = new StringBuilder("# TYPE envoy_cluster_upstream_rq unknown\n");
    StringBuilder vtsLatency =
        new StringBuilder("# TYPE nginx_vts_upstream_response_duration_seconds histogram\n");
    StringBuilder envoyLatency =
        new StringBuilder("# TYPE envoy_cluster_upstream_rq_time histogram\n");
    StringBuilder durations =
        new StringBuilder("# TYPE istio_request_duration_milliseconds histogram\n");
    long n = 0;
    for (Instant t = START; !t.isAfter(END); t = t.plusSeconds(15)) {
      n++;
      long ts = t.getEpochSecond();
      for (Map.Entry<String, int[]> v : PER_SCRAPE.entrySet()) {
        String mine = labels("destination", "shop", "checkout", v.getKey());
        int[] c = v.getValue();
        requests.append(
            sample("istio_requests_total", mine, "response_code=\"200\"", n * c[0], ts));
        requests.append(
            sample("istio_requests_total", mine, "response_code=\"503\"", n * c[1], ts));
        String[] les = {"50", "100", "+Inf"};
        for (int b = 0; b < 3; b++) {
          durations.append(
              sample(
                  "istio_request_duration_milliseconds_bucket",
                  mine,
                  "le=\"" + les[b] + "\"",
                  n * c[2 + b],
                  ts));
        }
        durations.append(
            sample("istio_request_duration_milliseconds_count", mine, null, n * c[4], ts));
        durations.append(
            sample("istio_request_duration_milliseconds_sum", mine, null, n * 40.0 * c[4], ts));
      }
      // decoys: the same canary requests as the caller's sidecar saw them, and the canary version
      // of another namespace and of another service; each would multiply the canary's errors
      for (String decoy :
          List.of(
              labels("source", "shop", "checkout", "1.1"),
              labels("destination", "other", "checkout", "1.1"),
              labels("destination", "shop", "cart", "1.1"))) {
        requests.append(
            sample("istio_requests_total", decoy, "response_code=\"503\"", n * 100, ts));
        requests.append(
            sample("istio_requests_total", decoy, "response_code=\"200\"", n * 100, ts));
        durations.append(
            sample("istio_request_duration_milliseconds_bucket", decoy, "le=\"50\"", n * 500, ts));
        durations.append(
            sample("istio_request_duration_milliseconds_bucket", decoy, "le=\"100\"", n * 500, ts));
        durations.append(
            sample(
                "istio_request_duration_milliseconds_bucket", decoy, "le=\"+Inf\"", n * 500, ts));
        durations.append(
            sample("istio_request_duration_milliseconds_count", decoy, null, n * 500, ts));
        durations.append(
            sample("istio_request_duration_milliseconds_sum", decoy, null, n * 9000.0, ts));
      }
      // nginx VTS: one series per code class; the stable and canary servers of upstream
      // "checkout", a decoy server whose address differs from the canary's only where a dot is,
      // and the canary's address in another upstream
      for (String[] server :
          List.of(
              new String[] {"checkout", "10.0.0.1:8080", "0"},
              new String[] {"checkout", "10.0.0.2:8080", "2"},
              new String[] {"checkout", "10.0.0.2:80800", "decoy"},
              new String[] {"checkout", "10a0b0c2:8080", "decoy"},
              new String[] {"cart", "10.0.0.2:8080", "decoy"})) {
        boolean decoy = server[2].equals("decoy");
        int bad = decoy ? 100 : VTS[Integer.parseInt(server[2])];
        int all = decoy ? 200 : VTS[Integer.parseInt(server[2]) + 1];
        String labels = "upstream=\"" + server[0] + "\",backend=\"" + server[1] + "\"";
        vts.append(
            sample("nginx_vts_upstream_requests_total", labels, "code=\"5xx\"", n * bad, ts));
        vts.append(
            sample(
                "nginx_vts_upstream_requests_total", labels, "code=\"2xx\"", n * (all - bad), ts));
        vts.append(sample("nginx_vts_upstream_requests_total", labels, "code=\"4xx\"", 0, ts));
        histogram(
            vtsLatency,
            "nginx_vts_upstream_response_duration_seconds",
            labels,
            "0.100",
            n,
            server[2],
            ts);
      }
      // Contour's Envoy: a cluster per Service and port, named <namespace>_<service>_<port>; the
      // canary Service's cluster in another namespace and a Service whose name only starts alike
      for (String[] cluster :
          List.of(
              new String[] {"shop_checkout-stable_8080", "0"},
              new String[] {"shop_checkout-canary_8080", "2"},
              new String[] {"other_checkout-canary_8080", "decoy"},
              new String[] {"shop_checkout-canary-old_8080", "decoy"})) {
        boolean decoy = cluster[1].equals("decoy");
        int bad = decoy ? 100 : VTS[Integer.parseInt(cluster[1])];
        int all = decoy ? 200 : VTS[Integer.parseInt(cluster[1]) + 1];
        String labels = "envoy_cluster_name=\"" + cluster[0] + "\"";
        histogram(envoyLatency, "envoy_cluster_upstream_rq_time", labels, "100", n, cluster[1], ts);
        envoy.append(
            sample(
                "envoy_cluster_upstream_rq", labels, "envoy_response_code=\"503\"", n * bad, ts));
        envoy.append(
            sample(
                "envoy_cluster_upstream_rq",
                labels,
                "envoy_response_code=\"200\"",
                n * (all - bad),
                ts));
      }
    }
    prometheus =
        PrometheusServer.withHistory(
            Files.createTempDirectory("aviary-istio-metrics"),
            requests.toString() + durations + vts + envoy + vtsLatency + envoyLatency + "# EOF\n");
  }

  @AfterAll
  static void stop() {
    prometheus.close();
  }

  /**
   * One histogram point: of 60 requests per 15 s, the stable group ("0") answers 55 within {@code
   * bound}, the canary group ("2") 40, a decoy 0 of 500.
   */
  private static void histogram(
      StringBuilder out, String name, String labels, String bound, long n, String group, long ts) {
    boolean decoy = group.equals("decoy");
    double below = decoy ? 0 : group.equals("0") ? 55 : 40;
    double all = decoy ? 500 : 60;
    out.append(sample(name + "_bucket", labels, "le=\"" + bound + "\"", n * below, ts));
    out.append(sample(name + "_bucket", labels, "le=\"+Inf\"", n * all, ts));
    out.append(sample(name + "_count", labels, null, n * all, ts));
    out.append(sample(name + "_sum", labels, null, n * all * 0.05, ts));
  }

  /** The real Prometheus provider, reading the history. */
  private static MetricProvider prometheusProvider() {
    return MetricProviders.discover()
        .find("prometheus")
        .orElseThrow()
        .create(
            Map.of("address", prometheus.url(), "timeout", "5s"),
            ProviderContext.of(SecretResolver.fromMap(Map.of())));
  }

  /** Each bucket's window total of a histogram query, by {@code le}. */
  private static Map<String, Double> buckets(String query, String version) {
    MetricProvider provider = prometheusProvider();
    Instant windowEnd = END.minus(Duration.ofMinutes(10));
    Map<String, Double> buckets = new TreeMap<>();
    for (TimeSeries s :
        provider.fetchWindow(
            new MetricQuery(
                query,
                Map.of("version", version),
                windowEnd.minusSeconds(60),
                windowEnd,
                null,
                null))) {
      buckets.put(s.labels().get("le"), s.values()[s.size() - 1]);
    }
    return buckets;
  }

  /** Four samples' worth: {@code below} of 60 per scrape at or under {@code bound}, 60 in all. */
  private static void assertBuckets(Map<String, Double> buckets, String bound, int below) {
    assertThat(buckets.keySet()).containsExactlyInAnyOrder(bound, "+Inf");
    assertThat(buckets.get(bound)).isCloseTo(4.0 * below, within(0.01));
    assertThat(buckets.get("+Inf")).isCloseTo(4.0 * 60, within(0.01));
  }

  private static String labels(String reporter, String namespace, String service, String version) {
    return String.format(
        Locale.ROOT,
        "reporter=\"%s\",destination_service_namespace=\"%s\",destination_service_name=\"%s\","
            + "destination_version=\"%s\"",
        reporter,
        namespace,
        service,
        version);
  }

  private static String sample(
      String name,
      String labels,
      @org.jspecify.annotations.Nullable String more,
      double value,
      long ts) {
    return String.format(
        Locale.ROOT, "%s{%s%s} %s %d%n", name, labels, more == null ? "" : "," + more, value, ts);
  }

  /** The plan's router: the Istio settings and their type. */
  static Map<String, Object> routerDocument() {
    Map<String, Object> router = new LinkedHashMap<>(router());
    router.put("type", "istio");
    return router;
  }

  /** The Istio router's settings, as a router factory is given them. */
  static Map<String, Object> router() {
    return Map.of(
        "namespace",
        "shop",
        "virtualService",
        "checkout",
        "stable",
        Map.of("host", "checkout", "subset", "stable"),
        "canary",
        Map.of("host", "checkout.shop.svc.cluster.local", "subset", "canary"));
  }

  private RouterMetric template(String name) {
    return routers.find("istio").orElseThrow().metricTemplate(name, router()).orElseThrow();
  }

  /** The window's total of each series the query returns, by its labels. */
  private static double windowTotal(String template, String version) {
    MetricProvider provider = prometheusProvider();
    Instant windowEnd = END.minus(Duration.ofMinutes(10));
    List<TimeSeries> series =
        provider.fetchWindow(
            new MetricQuery(
                template,
                Map.of("version", version),
                windowEnd.minusSeconds(60),
                windowEnd,
                null,
                null));
    return series.stream().mapToDouble(s -> s.values()[s.size() - 1]).sum();
  }

  @Test
  void aPlanNamesIstiosErrorRateAndLatencyWithoutAQueryAndGetsThemBackByName() {
    Map<String, Object> provider = Map.of("type", "prometheus", "address", prometheus.url());
    Api.Response created =
        new Api(port)
            .post(
                "/api/v1/plans",
                aPlan("istio-ready-made")
                    .withRouter(routerDocument())
                    .withWeights(10, 100)
                    .withMetric(
                        Map.of(
                            "name", "errors", "template", "http-error-rate", "provider", provider))
                    .withMetric(
                        Map.of("name", "latency", "template", "http-latency", "provider", provider))
                    .build());
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    JsonNode metrics = created.json().path("analysis").path("metrics");
    assertThat(metrics.get(0).path("template").asString()).isEqualTo("http-error-rate");
    assertThat(metrics.get(1).path("template").asString()).isEqualTo("http-latency");
    assertThat(metrics.get(1).has("histogram")).isFalse();
  }

  @Test
  void istioCountsEachVersionsOwnRequestsAtTheDestinationOnly() {
    RouterMetric errors = template(RouterMetric.HTTP_ERROR_RATE);
    // a window of 60 s: four samples of the counters, 4 × the per-scrape increase
    assertThat(windowTotal(errors.bad(), "1.1")).isCloseTo(4 * 3, within(0.01));
    assertThat(windowTotal(errors.total(), "1.1")).isCloseTo(4 * 60, within(0.01));
    assertThat(windowTotal(errors.baselineBad(), "1.0")).isCloseTo(4 * 1, within(0.01));
    assertThat(windowTotal(errors.baselineTotal(), "1.0")).isCloseTo(4 * 60, within(0.01));
    assertThat(windowTotal(errors.bad(), "2.0")).as("a version nobody runs").isZero();
  }

  @Test
  void nginxCountsTheCanaryServersOfItsUpstreamAgainstTheStableOnesFromVts() {
    RouterMetric errors =
        routers
            .find("nginx")
            .orElseThrow()
            .metricTemplate(
                RouterMetric.HTTP_ERROR_RATE,
                Map.of(
                    "upstream", "checkout",
                    "includeFile", "/etc/nginx/aviary/checkout.conf",
                    "stable", List.of("10.0.0.1:8080"),
                    "canary", List.of("10.0.0.2:8080"),
                    "mainConfig", "/etc/nginx/nginx.conf",
                    "pidFile", "/run/nginx.pid"))
            .orElseThrow();
    assertThat(windowTotal(errors.bad(), "2.0")).isCloseTo(4 * VTS[2], within(0.01));
    assertThat(windowTotal(errors.total(), "2.0")).isCloseTo(4 * VTS[3], within(0.01));
    assertThat(windowTotal(errors.baselineBad(), "1.0")).isCloseTo(4 * VTS[0], within(0.01));
    assertThat(windowTotal(errors.baselineTotal(), "1.0")).isCloseTo(4 * VTS[1], within(0.01));
    RouterMetric latency =
        routers
            .find("nginx")
            .orElseThrow()
            .metricTemplate(RouterMetric.HTTP_LATENCY, nginxSettings())
            .orElseThrow();
    assertBuckets(
        buckets(java.util.Objects.requireNonNull(latency.histogram()), "2.0"), "0.100", 40);
    assertBuckets(
        buckets(java.util.Objects.requireNonNull(latency.baselineHistogram()), "1.0"), "0.100", 55);
  }

  private static Map<String, Object> nginxSettings() {
    return Map.of(
        "upstream", "checkout",
        "includeFile", "/etc/nginx/aviary/checkout.conf",
        "stable", List.of("10.0.0.1:8080"),
        "canary", List.of("10.0.0.2:8080"),
        "mainConfig", "/etc/nginx/nginx.conf",
        "pidFile", "/run/nginx.pid");
  }

  @Test
  void contourCountsEachServicesEnvoyClusterInItsNamespace() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("namespace", "shop");
    settings.put("route", "checkout");
    settings.put("stableService", "checkout-stable");
    settings.put("canaryService", "checkout-canary");
    settings.put("port", 8080);
    settings.put("implementation", "contour");
    RouterMetric errors =
        routers
            .find("gateway-api")
            .orElseThrow()
            .metricTemplate(RouterMetric.HTTP_ERROR_RATE, settings)
            .orElseThrow();
    assertThat(windowTotal(errors.bad(), "2.0")).isCloseTo(4 * VTS[2], within(0.01));
    assertThat(windowTotal(errors.total(), "2.0")).isCloseTo(4 * VTS[3], within(0.01));
    assertThat(windowTotal(errors.baselineBad(), "1.0")).isCloseTo(4 * VTS[0], within(0.01));
    assertThat(windowTotal(errors.baselineTotal(), "1.0")).isCloseTo(4 * VTS[1], within(0.01));
    RouterMetric latency =
        routers
            .find("gateway-api")
            .orElseThrow()
            .metricTemplate(RouterMetric.HTTP_LATENCY, settings)
            .orElseThrow();
    assertBuckets(buckets(java.util.Objects.requireNonNull(latency.histogram()), "2.0"), "100", 40);
    assertBuckets(
        buckets(java.util.Objects.requireNonNull(latency.baselineHistogram()), "1.0"), "100", 55);
  }

  @Test
  void istiosLatencyHistogramIsEachVersionsBucketsInMilliseconds() {
    String query = template(RouterMetric.HTTP_LATENCY).histogram();
    assertThat(query).isNotNull();
    Map<String, Double> buckets = buckets(java.util.Objects.requireNonNull(query), "1.1");
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("+Inf", 4.0 * 60);
    expected.put("100", 4.0 * 50);
    expected.put("50", 4.0 * 30);
    assertThat(buckets.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach(
        (le, count) -> assertThat(buckets.get(le)).as(le).isCloseTo(count, within(0.01)));
  }
}
