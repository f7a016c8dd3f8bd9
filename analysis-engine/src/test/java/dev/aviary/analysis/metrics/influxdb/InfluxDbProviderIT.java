package dev.aviary.analysis.metrics.influxdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.metrics.MetricData;
import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderContract;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.testing.InfluxDbServer;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code influxdb} provider in InfluxQL against a real InfluxDB 1.x (Debian package {@code
 * influxdb}) with authentication on. Known points are written first — a gauge per version every
 * second, and 3 + 4 requests a second for {@code v2} from two pods — and read back exactly.
 */
class InfluxDbProviderIT extends MetricProviderContract {

  private static final long NOW = Instant.now().getEpochSecond();
  private static InfluxDbServer influx;

  @BeforeAll
  static void start() throws Exception {
    influx =
        InfluxDbServer.start(
            Files.createTempDirectory("aviary-influxdb-it"), "aviary", SECRET_VALUE);
    influx.createDatabase("metrics");
    StringBuilder lines = new StringBuilder();
    for (long t = NOW - 600; t <= NOW + 600; t++) {
      lines.append("error_ratio,version=v1 value=0.01 ").append(t).append('\n');
      lines.append("error_ratio,version=v2 value=0.05 ").append(t).append('\n');
      lines.append("requests,version=v2,pod=a count=3 ").append(t).append('\n');
      lines.append("requests,version=v2,pod=b count=4 ").append(t).append('\n');
    }
    influx.write("metrics", lines.toString());
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
        "database",
        "metrics",
        "auth",
        Map.of("basic", Map.of("username", "aviary", "password", Map.of("env", SECRET_ENV))));
  }

  @Override
  protected String versionQuery() {
    return "SELECT last(\"value\") FROM \"error_ratio\" WHERE \"version\" = '${version}'"
        + " AND time > ${start}s AND time <= ${end}s";
  }

  @Override
  protected double knownValue(String version) {
    return version.equals("v1") ? 0.01 : 0.05;
  }

  @Override
  protected String countQuery() {
    return "SELECT sum(\"count\") FROM \"requests\" WHERE \"version\" = '${version}'"
        + " AND time > ${start}s AND time <= ${end}s";
  }

  @Override
  protected Instant countWindowEnd() {
    return Instant.ofEpochSecond(NOW);
  }

  @Override
  protected double knownWindowCount() {
    return 60 * 7.0; // seconds NOW-59 .. NOW, both pods
  }

  @Test
  void aValueCannotCloseItsInfluxQlString() {
    MetricData data =
        factory()
            .create(settings(), context())
            .fetch(query(versionQuery(), "v9' OR \"version\" = 'v2"));
    assertThat(data).isInstanceOf(MetricData.NoData.class);
  }

  @Test
  void eachPodIsASeriesOfItsOwnWhenTheQueryGroupsByIt() {
    MetricProvider provider = factory().create(settings(), context());
    var series =
        provider.fetchWindow(
            countWindow(countQuery().replace("${end}s", "${end}s GROUP BY \"pod\""), "v2"));
    assertThat(series)
        .extracting(s -> s.labels().get("pod") + "=" + s.values()[0])
        .containsExactlyInAnyOrder("a=180.0", "b=240.0");
  }

  @Test
  void influxDbsOwnErrorIsQuotedAndFatal() {
    MetricProvider provider = factory().create(settings(), context());
    assertThatThrownBy(() -> provider.fetch(query("SELECT FROM WHERE ${version}", "v1")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("error parsing query");
    assertThatThrownBy(
            () ->
                provider.fetch(
                    query(
                        "SELECT last(\"value\"), first(\"value\") FROM \"error_ratio\" WHERE"
                            + " \"version\" = '${version}'",
                        "v1")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("select one value");
  }

  @Test
  void aWrongPasswordIsFatalAndNeverEchoed() {
    MetricProvider provider =
        factory()
            .create(
                settings(),
                ProviderContext.of(SecretResolver.fromMap(Map.of(SECRET_ENV, "wrong-pass-5"))));
    assertThatThrownBy(() -> provider.fetch(query(versionQuery(), "v1")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("refused the credentials")
        .message()
        .doesNotContain("wrong-pass-5");
  }

  @Test
  void theLanguageDecidesWhichSettingsAreRequired() {
    assertThat(factory().validate(Map.of("address", "http://x:8086")))
        .extracting(v -> v.field())
        .containsExactly("database");
    assertThat(
            factory()
                .validate(Map.of("address", "http://x:8086", "language", "flux", "database", "d")))
        .extracting(v -> v.field())
        .containsExactlyInAnyOrder("org", "database");
  }
}
