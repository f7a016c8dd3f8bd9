package dev.aviary.analysis.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderContract;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.WindowCounts;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.testing.FreePorts;
import dev.aviary.testing.VictoriaMetricsServer;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code prometheus} provider, unchanged, against a real VictoriaMetrics (Debian package {@code
 * victoria-metrics}): its Prometheus-compatible query API is read the same way. Known samples are
 * written first — a gauge per version, and a counter that grows by 3 every second — and the test
 * checks the exact values and counts read back.
 */
class VictoriaMetricsProviderIT extends MetricProviderContract {

  private static VictoriaMetricsServer vm;

  @BeforeAll
  static void startVictoriaMetrics() throws Exception {
    vm = VictoriaMetricsServer.start(Files.createTempDirectory("aviary-victoria-metrics-it"));
    // one sample a second from ten minutes ago to ten minutes ahead: every query of this test
    // finds its latest sample a second before it
    long now = Instant.now().getEpochSecond();
    StringBuilder lines = new StringBuilder();
    for (long t = now - 600, i = 0; t <= now + 600; t++, i++) {
      long ms = t * 1000;
      lines.append("aviary_test_error_ratio{version=\"v1\"} 0.01 ").append(ms).append('\n');
      lines.append("aviary_test_error_ratio{version=\"v2\"} 0.05 ").append(ms).append('\n');
      lines
          .append("aviary_test_requests_total{version=\"v2\"} ")
          .append(3 * i)
          .append(' ')
          .append(ms)
          .append('\n');
    }
    vm.write(lines.toString());
  }

  @AfterAll
  static void stop() {
    vm.close();
  }

  @Override
  protected MetricProviderFactory factory() {
    return new PrometheusProviderFactory();
  }

  @Override
  protected ProviderContext context() {
    return ProviderContext.of(SecretResolver.fromMap(Map.of(SECRET_ENV, SECRET_VALUE)));
  }

  @Override
  protected Map<String, Object> settings() {
    return Map.of(
        "address", vm.url(), "timeout", "5s", "auth", Map.of("bearer", Map.of("env", SECRET_ENV)));
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

  /**
   * VictoriaMetrics' {@code increase} does not extrapolate to the window's edges as Prometheus's
   * does: a counter growing by 3 a second increases by exactly 180 in any 60 s window.
   */
  @Test
  void aCountersIncreaseOverTheWindowIsReadExactly() {
    MetricProvider provider = factory().create(settings(), context());
    Instant end = Instant.now().minusSeconds(5);
    MetricQuery window =
        new MetricQuery(
            "sum(increase(aviary_test_requests_total{version=\"${version}\"}[${window}]))",
            Map.of("version", "v2"),
            end.minusSeconds(60),
            end,
            null,
            null);
    assertThat(WindowCounts.total(provider.fetchWindow(window)).orElseThrow()).isEqualTo(180.0);
    MetricQuery none =
        new MetricQuery(
            window.template(), Map.of("version", "v9"), window.start(), end, null, null);
    assertThat(WindowCounts.total(provider.fetchWindow(none))).isEmpty();
  }
}
