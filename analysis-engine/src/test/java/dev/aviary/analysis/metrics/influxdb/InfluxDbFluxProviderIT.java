package dev.aviary.analysis.metrics.influxdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.RetryableAnalysisException;
import dev.aviary.analysis.metrics.MetricData;
import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderContract;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.testing.InfluxDb2ContractServer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code influxdb} provider in Flux against {@link InfluxDb2ContractServer}, a stand-in that
 * follows InfluxDB 2.x's published query API: no InfluxDB 2.x can be installed here (Debian has
 * 1.6, without Flux). The provider's real HTTP and annotated-CSV path reads back known points.
 */
class InfluxDbFluxProviderIT extends MetricProviderContract {

  private static final long NOW = Instant.now().getEpochSecond();
  private static InfluxDb2ContractServer influx;

  @BeforeAll
  static void start() {
    influx = new InfluxDb2ContractServer("platform", SECRET_VALUE);
    for (long t = NOW - 600; t <= NOW + 600; t++) {
      influx.write("aviary", "error_ratio", Map.of("version", "v1"), t, 0.01);
      influx.write("aviary", "error_ratio", Map.of("version", "v2"), t, 0.05);
      influx.write("aviary", "requests", Map.of("version", "v2", "pod", "a"), t, 3);
      influx.write("aviary", "requests", Map.of("version", "v2", "pod", "b"), t, 4);
    }
  }

  @AfterAll
  static void stop() {
    influx.close();
  }

  @Override
  protected MetricProviderFactory factory() {
    return new InfluxDbProviderFactory();
  }

  @Override
  protected ProviderContext context() {
    return ProviderContext.of(SecretResolver.fromMap(Map.of(SECRET_ENV, SECRET_VALUE)));
  }

  @Override
  protected Map<String, Object> settings() {
    return Map.of(
        "address",
        influx.url(),
        "language",
        "flux",
        "org",
        "platform",
        "auth",
        Map.of("token", Map.of("env", SECRET_ENV)));
  }

  @Override
  protected String versionQuery() {
    return "from(bucket: \"aviary\") |> range(start: ${start}, stop: ${end})"
        + " |> filter(fn: (r) => r._measurement == \"error_ratio\" and r.version == \"${version}\")"
        + " |> last()";
  }

  @Override
  protected double knownValue(String version) {
    return version.equals("v1") ? 0.01 : 0.05;
  }

  @Override
  protected String countQuery() {
    return "from(bucket: \"aviary\") |> range(start: ${start}, stop: ${end})"
        + " |> filter(fn: (r) => r._measurement == \"requests\" and r.version == \"${version}\")"
        + " |> sum()";
  }

  @Override
  protected Instant countWindowEnd() {
    return Instant.ofEpochSecond(NOW);
  }

  @Override
  protected double knownWindowCount() {
    return 60 * 7.0; // [NOW-60, NOW): one table per pod, 180 + 240
  }

  @Test
  void aValueCannotCloseItsFluxStringNorInterpolate() {
    MetricProvider provider = factory().create(settings(), context());
    for (String hostile : java.util.List.of("v9\" or r.version == \"v2", "${v2}", "v2\\")) {
      assertThat(provider.fetch(query(versionQuery(), hostile)))
          .as(hostile)
          .isInstanceOf(MetricData.NoData.class);
    }
  }

  @Test
  void sendsTheTokenAndAsksForAnnotatedCsv() {
    factory().create(settings(), context()).fetch(query(versionQuery(), "v1"));
    var last = influx.requests().get(influx.requests().size() - 1);
    assertThat(last.header("Authorization")).isEqualTo("Token " + SECRET_VALUE);
    assertThat(last.header("Accept")).isEqualTo("application/csv");
    assertThat(last.query()).isEqualTo("org=platform");
    assertThat(last.body()).contains("\"type\":\"flux\"").contains("\"annotations\"");
  }

  @Test
  void aCompilationErrorIsQuotedAndFatalAndARateLimitRetryable() {
    MetricProvider provider = factory().create(settings(), context());
    assertThatThrownBy(() -> provider.fetch(query("from(bucket: ${version})", "v1")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("compilation failed");
    influx.rateLimitNext(1);
    assertThatThrownBy(() -> provider.fetch(query(versionQuery(), "v1")))
        .isInstanceOf(RetryableAnalysisException.class)
        .hasMessageContaining("resets in 5 s");
  }
}
