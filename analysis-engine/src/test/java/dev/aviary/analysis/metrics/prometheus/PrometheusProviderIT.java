package dev.aviary.analysis.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.metrics.MetricData;
import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderContract;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.QueryLanguage;
import dev.aviary.analysis.metrics.SeriesAggregation;
import dev.aviary.analysis.metrics.TimeSeries;
import dev.aviary.analysis.metrics.WindowCounts;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.testing.FreePorts;
import dev.aviary.testing.PrometheusServer;
import dev.aviary.testing.TextHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real Prometheus (Debian package) scraping a target this test serves. */
class PrometheusProviderIT extends MetricProviderContract {

  private static final String METRICS =
      """
      # TYPE aviary_test_error_ratio gauge
      aviary_test_error_ratio{version="v1"} 0.01
      aviary_test_error_ratio{version="v2"} 0.05
      # TYPE aviary_test_latency_seconds histogram
      aviary_test_latency_seconds_bucket{version="v2",le="0.1"} 5
      aviary_test_latency_seconds_bucket{version="v2",le="0.5"} 9
      aviary_test_latency_seconds_bucket{version="v2",le="+Inf"} 10
      aviary_test_latency_seconds_sum{version="v2"} 2.5
      aviary_test_latency_seconds_count{version="v2"} 10
      """;
  private static final String PASSWORD = "prom-test-password";
  private static final String PASSWORD_HASH =
      "$2b$12$DDrQo.t8oyLI7d0E9WtAe.YkaaPVq9Ss6xCNlh4PepZYE/gbf/JCa";

  private static TextHttpServer target;
  private static PrometheusServer prometheus;
  private static PrometheusServer guarded;

  @BeforeAll
  static void startPrometheus() throws Exception {
    target =
        new TextHttpServer()
            .answer("/metrics", TextHttpServer.Reply.ok("text/plain; version=0.0.4", METRICS));
    Path dir = Files.createTempDirectory("aviary-prometheus-it");
    List<String> targets = List.of("127.0.0.1:" + target.port());
    prometheus = PrometheusServer.start(dir.resolve("open"), targets);
    guarded =
        PrometheusServer.startWithWebConfig(
            dir.resolve("guarded"),
            targets,
            "basic_auth_users:\n  aviary: " + PASSWORD_HASH + "\n");
    MetricProvider provider =
        new PrometheusProviderFactory()
            .create(Map.of("address", prometheus.url()), ProviderContext.of(secrets()));
    await("first scrape of both series")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> provider.fetch(instant("count(aviary_test_error_ratio)")).values()[0] == 2);
  }

  @AfterAll
  static void stop() {
    prometheus.close();
    guarded.close();
    target.close();
  }

  private static SecretResolver secrets() {
    return SecretResolver.fromMap(Map.of(SECRET_ENV, SECRET_VALUE, "PROM_PASSWORD", PASSWORD));
  }

  private static MetricQuery instant(String promql) {
    Instant now = Instant.now();
    return new MetricQuery(promql, Map.of(), now.minusSeconds(5), now, null, null);
  }

  @Override
  protected MetricProviderFactory factory() {
    return new PrometheusProviderFactory();
  }

  @Override
  protected ProviderContext context() {
    return ProviderContext.of(secrets());
  }

  @Override
  protected Map<String, Object> settings() {
    return Map.of(
        "address",
        prometheus.url(),
        "timeout",
        "5s",
        "auth",
        Map.of("bearer", Map.of("env", SECRET_ENV)));
  }

  @Override
  protected String versionQuery() {
    return "aviary_test_error_ratio{version=\"${version}\"}";
  }

  @Override
  protected double knownValue(String version) {
    return version.equals("v1") ? 0.01 : 0.05;
  }

  @Override
  protected Map<String, Object> unreachableSettings() {
    return Map.of(
        "address",
        "http://127.0.0.1:" + FreePorts.next(),
        "auth",
        Map.of("bearer", Map.of("env", SECRET_ENV)));
  }

  @Test
  void aPromQlSyntaxErrorIsFatalAndQuotesPrometheus() {
    MetricProvider provider = factory().create(settings(), context());
    assertThatThrownBy(() -> provider.fetch(query("sum(rate(http_requests_total[1m]", "v2")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageStartingWith("Prometheus rejected the query (bad_data): ")
        .hasMessageContaining("parse error");
  }

  @Test
  void severalSeriesWhereOneWasExpectedIsAnErrorUnlessTheMetricAggregates() {
    MetricProvider provider = factory().create(settings(), context());
    MetricQuery all = query("aviary_test_error_ratio", "v2");
    assertThatThrownBy(() -> provider.fetch(all))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("returned 2 series where one was expected");
    MetricQuery summed =
        new MetricQuery(
            all.template(), all.variables(), all.start(), all.end(), null, SeriesAggregation.SUM);
    assertThat(provider.fetch(summed).values())
        .isNotEmpty()
        .usingComparatorWithPrecision(1e-12)
        .containsOnly(0.06);
  }

  @Test
  void aWindowsHistogramIsReadByItsBucketBounds() {
    MetricProvider provider = factory().create(settings(), context());
    List<TimeSeries> series =
        provider.fetchWindow(
            query(
                "sum by (le) (max_over_time(aviary_test_latency_seconds_bucket{version=\"${version}\"}[${window}]))",
                "v2"));
    assertThat(WindowCounts.buckets(series))
        .containsExactly(
            Map.entry(0.1, 5.0), Map.entry(0.5, 9.0), Map.entry(Double.POSITIVE_INFINITY, 10.0));
    assertThatThrownBy(
            () ->
                WindowCounts.buckets(
                    provider.fetchWindow(
                        query("aviary_test_latency_seconds_count{version=\"${version}\"}", "v2"))))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("labelled le");
  }

  @Test
  void aWindowCountCoversExactlyTheWindowAndABacktestGetsOnePerWindow() {
    MetricProvider provider = factory().create(settings(), context());
    String samples = "count_over_time(aviary_test_error_ratio{version=\"${version}\"}[${window}])";
    // scrapes arrive every second: a 5 s window holds about five samples, whatever the mode
    await("five seconds of samples")
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Instant end = Instant.now();
              MetricQuery window =
                  new MetricQuery(
                      samples, Map.of("version", "v1"), end.minusSeconds(5), end, null, null);
              assertThat(window.rendered(QueryLanguage.PROMQL)).contains("[5s]");
              assertThat(WindowCounts.total(provider.fetchWindow(window)).orElseThrow())
                  .isBetween(4.0, 6.0);
              MetricQuery windows =
                  new MetricQuery(
                      samples,
                      Map.of("version", "v1"),
                      end.minusSeconds(8),
                      end,
                      Duration.ofSeconds(2),
                      null);
              assertThat(windows.rendered(QueryLanguage.PROMQL)).contains("[2s]");
              assertThat(WindowCounts.totalsOverTime(provider.fetchWindows(windows)).values())
                  .hasSizeBetween(4, 5)
                  .allSatisfy(v -> assertThat(v).isBetween(1.0, 3.0));
            });
  }

  @Test
  void instantModeReturnsOneValueAtTheEndOfTheRange() {
    Map<String, Object> settings = new HashMap<>(settings());
    settings.put("mode", "instant");
    MetricData data = factory().create(settings, context()).fetch(query(versionQuery(), "v2"));
    assertThat(data.values()).containsExactly(0.05);
  }

  @Test
  void aRangeQueryReturnsOnePointPerStep() {
    // Scrapes arrive every second; wait until four seconds of them exist.
    await("four seconds of samples")
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Instant end = Instant.now();
              MetricQuery q =
                  new MetricQuery(
                      versionQuery(),
                      Map.of("version", "v1"),
                      end.minusSeconds(4),
                      end,
                      Duration.ofSeconds(1),
                      null);
              assertThat(factory().create(settings(), context()).fetch(q).values())
                  .hasSizeBetween(4, 5)
                  .containsOnly(0.01);
            });
  }

  @Test
  void basicAuthCredentialsFromASecretReferenceAreAccepted() {
    Map<String, Object> settings =
        Map.of(
            "address", guarded.url(),
            "auth",
                Map.of(
                    "basic",
                    Map.of("username", "aviary", "password", Map.of("env", "PROM_PASSWORD"))));
    await("guarded Prometheus scraped")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                factory()
                        .create(settings, context())
                        .fetch(query(versionQuery(), "v2"))
                        .values()
                        .length
                    > 0);
    assertThat(factory().create(settings, context()).fetch(query(versionQuery(), "v2")).values())
        .containsOnly(0.05);
  }

  @Test
  void rejectedCredentialsAreFatalAndNeverEchoed() {
    Map<String, Object> settings =
        Map.of(
            "address", guarded.url(),
            "auth",
                Map.of(
                    "basic", Map.of("username", "aviary", "password", Map.of("env", SECRET_ENV))));
    assertThatThrownBy(
            () -> factory().create(settings, context()).fetch(query(versionQuery(), "v2")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("refused the credentials (HTTP 401)")
        .message()
        .doesNotContain(SECRET_VALUE);
  }
}
