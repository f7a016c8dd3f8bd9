package dev.aviary.analysis.metrics.datadog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.RetryableAnalysisException;
import dev.aviary.analysis.metrics.MetricData;
import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderContract;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.testing.DatadogContractServer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code datadog} provider against {@link DatadogContractServer}, a stand-in that follows
 * Datadog's published query API (Datadog exists only as a service). Known points are submitted — a
 * gauge per version every second, and a count of 7 requests a second for {@code v2} — and read back
 * exactly through the provider's real HTTP path.
 */
class DatadogProviderIT extends MetricProviderContract {

  private static final String APP_ENV = "CONTRACT_APP_KEY";
  private static final String APP_KEY = "app-key-77";
  private static final long NOW = Instant.now().getEpochSecond();
  private static DatadogContractServer datadog;

  @BeforeAll
  static void start() {
    datadog = new DatadogContractServer(SECRET_VALUE, APP_KEY);
    for (long t = NOW - 600; t <= NOW + 600; t++) {
      datadog.submit("aviary.test.error_ratio", Map.of("version", "v1", "env", "prod"), t, 0.01);
      datadog.submit("aviary.test.error_ratio", Map.of("version", "v2", "env", "prod"), t, 0.05);
      datadog.submit("aviary.test.requests", Map.of("version", "v2", "pod", "a"), t, 3);
      datadog.submit("aviary.test.requests", Map.of("version", "v2", "pod", "b"), t, 4);
    }
  }

  @AfterAll
  static void stop() {
    datadog.close();
  }

  @Override
  protected MetricProviderFactory factory() {
    return new DatadogProviderFactory();
  }

  @Override
  protected ProviderContext context() {
    return ProviderContext.of(
        SecretResolver.fromMap(Map.of(SECRET_ENV, SECRET_VALUE, APP_ENV, APP_KEY)));
  }

  @Override
  protected Map<String, Object> settings() {
    return Map.of(
        "address",
        datadog.url(),
        "auth",
        Map.of("apiKey", Map.of("env", SECRET_ENV), "applicationKey", Map.of("env", APP_ENV)));
  }

  @Override
  protected String versionQuery() {
    return "avg:aviary.test.error_ratio{version:${version}}";
  }

  @Override
  protected double knownValue(String version) {
    return version.equals("v1") ? 0.01 : 0.05;
  }

  @Override
  protected String countQuery() {
    return "sum:aviary.test.requests{version:${version}}.as_count()";
  }

  @Override
  protected MetricQuery countWindow(String template, String version) {
    // [NOW-60, NOW-1]: 60 one-second points of 3 + 4 requests
    return new MetricQuery(
        template,
        Map.of("version", version),
        Instant.ofEpochSecond(NOW - 60),
        Instant.ofEpochSecond(NOW - 1),
        null,
        null);
  }

  @Override
  protected double knownWindowCount() {
    return 60 * 7.0;
  }

  @Test
  void sendsBothKeysAsHeadersAndTheWindowInSeconds() {
    factory().create(settings(), context()).fetch(query(versionQuery(), "v1"));
    var last = datadog.requests().get(datadog.requests().size() - 1);
    assertThat(last.header("DD-API-KEY")).isEqualTo(SECRET_VALUE);
    assertThat(last.header("DD-APPLICATION-KEY")).isEqualTo(APP_KEY);
    assertThat(last.query()).contains("query=avg%3Aaviary.test.error_ratio%7Bversion%3Av1%7D");
  }

  @Test
  void aDelayReadsTheWindowThatMuchLater() {
    Map<String, Object> delayed = new HashMap<>(settings());
    delayed.put("delay", "2m");
    MetricProvider provider = factory().create(delayed, context());
    provider.fetchWindow(countWindow(countQuery(), "v2"));
    var last = datadog.requests().get(datadog.requests().size() - 1);
    assertThat(last.query()).contains("from=" + (NOW - 180)).contains("to=" + (NOW - 121));
  }

  @Test
  void aRateLimitIsRetryableAndSaysWhenTheLimitResets() {
    datadog.rateLimitNext(1);
    MetricProvider provider = factory().create(settings(), context());
    assertThatThrownBy(() -> provider.fetch(query(versionQuery(), "v1")))
        .isInstanceOf(RetryableAnalysisException.class)
        .hasMessageContaining("HTTP 429")
        .hasMessageContaining("Rate limit of 1600 requests")
        .hasMessageContaining("resets in 7 s");
    assertThat(provider.fetch(query(versionQuery(), "v1"))).isInstanceOf(MetricData.Values.class);
  }

  @Test
  void aQueryDatadogCannotParseIsFatalAndQuotesDatadog() {
    MetricProvider provider = factory().create(settings(), context());
    assertThatThrownBy(() -> provider.fetch(query("avg:aviary.test.error_ratio{version", "v1")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("HTTP 400")
        .hasMessageContaining("Error parsing query");
  }

  @Test
  void wrongKeysAreFatalAndNeverEchoed() {
    MetricProvider provider =
        factory()
            .create(
                settings(),
                ProviderContext.of(
                    SecretResolver.fromMap(Map.of(SECRET_ENV, "wrong-key-1", APP_ENV, APP_KEY))));
    assertThatThrownBy(() -> provider.fetch(query(versionQuery(), "v1")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("refused the credentials")
        .message()
        .doesNotContain("wrong-key-1");
  }

  @Test
  void aSiteNamesTheApiHostAndBothKeysAreRequired() {
    Map<String, Object> s = new HashMap<>();
    s.put("site", "datadoghq.eu");
    s.put("auth", Map.of("apiKey", Map.of("env", SECRET_ENV)));
    assertThat(factory().validate(s))
        .extracting(v -> v.field())
        .containsExactly("auth.applicationKey");
    assertThat(
            factory()
                .create(
                    Map.of(
                        "site",
                        "datadoghq.eu",
                        "auth",
                        Map.of(
                            "apiKey",
                            Map.of("env", SECRET_ENV),
                            "applicationKey",
                            Map.of("env", APP_ENV))),
                    context())
                .backend(query(versionQuery(), "v1")))
        .isEqualTo("datadog api.datadoghq.eu");
  }
}
