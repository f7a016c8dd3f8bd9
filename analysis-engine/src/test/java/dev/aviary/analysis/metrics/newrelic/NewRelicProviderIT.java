package dev.aviary.analysis.metrics.newrelic;

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
import dev.aviary.testing.NewRelicContractServer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code newrelic} provider against {@link NewRelicContractServer}, a stand-in that follows
 * NerdGraph's published NRQL API (New Relic exists only as a service). Known events are reported —
 * a gauge per version every second, and requests of 3 and 4 a second for {@code v2} — and read back
 * exactly through the provider's real HTTP path.
 */
class NewRelicProviderIT extends MetricProviderContract {

  private static final long ACCOUNT = 3141592;
  private static final long NOW = Instant.now().getEpochSecond();
  private static NewRelicContractServer newRelic;

  @BeforeAll
  static void start() {
    newRelic = new NewRelicContractServer(ACCOUNT, SECRET_VALUE);
    for (long t = NOW - 600; t <= NOW + 600; t++) {
      newRelic.report("AviaryTest", Map.of("version", "v1", "errorRatio", 0.01), t * 1000);
      newRelic.report("AviaryTest", Map.of("version", "v2", "errorRatio", 0.05), t * 1000);
      newRelic.report(
          "AviaryRequests", Map.of("version", "v2", "pod", "a", "requests", 3), t * 1000);
      newRelic.report(
          "AviaryRequests", Map.of("version", "v2", "pod", "b", "requests", 4), t * 1000);
    }
  }

  @AfterAll
  static void stop() {
    newRelic.close();
  }

  @Override
  protected MetricProviderFactory factory() {
    return new NewRelicProviderFactory();
  }

  @Override
  protected ProviderContext context() {
    return ProviderContext.of(SecretResolver.fromMap(Map.of(SECRET_ENV, SECRET_VALUE)));
  }

  @Override
  protected Map<String, Object> settings() {
    return Map.of(
        "address",
        newRelic.url(),
        "accountId",
        ACCOUNT,
        "auth",
        Map.of("userKey", Map.of("env", SECRET_ENV)));
  }

  @Override
  protected String versionQuery() {
    return "SELECT latest(errorRatio) FROM AviaryTest WHERE version = '${version}'";
  }

  @Override
  protected double knownValue(String version) {
    return version.equals("v1") ? 0.01 : 0.05;
  }

  @Override
  protected String countQuery() {
    return "SELECT sum(requests) FROM AviaryRequests WHERE version = '${version}'";
  }

  @Override
  protected Instant countWindowEnd() {
    return Instant.ofEpochSecond(NOW);
  }

  @Override
  protected double knownWindowCount() {
    return 60 * 7.0;
  }

  @Test
  void aValueCannotCloseItsNrqlString() {
    assertThat(
            factory()
                .create(settings(), context())
                .fetch(query(versionQuery(), "v9' OR version = 'v2")))
        .isInstanceOf(MetricData.NoData.class);
  }

  @Test
  void sendsTheKeyAndTheWindowAndReadsFacetsAndTimeSeries() {
    MetricProvider provider = factory().create(settings(), context());
    MetricQuery window = countWindow(countQuery(), "v2");
    var facets =
        provider.fetchWindow(
            new MetricQuery(
                countQuery() + " FACET pod",
                window.variables(),
                window.start(),
                window.end(),
                null,
                null));
    assertThat(facets)
        .extracting(s -> s.labels().get("facet") + "=" + s.values()[0])
        .containsExactlyInAnyOrder("a=180.0", "b=240.0");
    var last = newRelic.requests().get(newRelic.requests().size() - 1);
    assertThat(last.header("API-Key")).isEqualTo(SECRET_VALUE);
    assertThat(last.body())
        .contains("SINCE " + (NOW - 60) * 1000 + " UNTIL " + NOW * 1000)
        .contains("\"accountId\":" + ACCOUNT);
    MetricData buckets =
        provider.fetch(
            new MetricQuery(
                countQuery() + " TIMESERIES 10 seconds",
                window.variables(),
                window.start(),
                window.end(),
                null,
                null));
    assertThat(buckets.values()).containsExactly(70, 70, 70, 70, 70, 70);
  }

  @Test
  void nrqlErrorsAreQuotedRateLimitsRetriedAndAWindowClauseRefused() {
    MetricProvider provider = factory().create(settings(), context());
    assertThatThrownBy(() -> provider.fetch(query("SELECT nonsense(x FROM ${version}", "v1")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("NRQL Syntax Error");
    assertThatThrownBy(() -> provider.fetch(query(versionQuery() + " SINCE 1 hour ago", "v1")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("leave both out");
    newRelic.rateLimitNext(1);
    assertThatThrownBy(() -> provider.fetch(query(versionQuery(), "v1")))
        .isInstanceOf(RetryableAnalysisException.class)
        .hasMessageContaining("resets in 3 s");
    assertThat(provider.fetch(query(versionQuery(), "v1")).values()).containsOnly(0.01);
  }

  @Test
  void aWrongKeyIsFatalAndNeverEchoed() {
    MetricProvider provider =
        factory()
            .create(
                settings(),
                ProviderContext.of(SecretResolver.fromMap(Map.of(SECRET_ENV, "NRAK-wrong-1"))));
    assertThatThrownBy(() -> provider.fetch(query(versionQuery(), "v1")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("refused the credentials")
        .message()
        .doesNotContain("NRAK-wrong-1");
  }

  @Test
  void theAccountIsRequiredAndARegionPicksTheHost() {
    assertThat(factory().validate(Map.of("auth", Map.of("userKey", Map.of("env", "K")))))
        .extracting(v -> v.field())
        .containsExactly("accountId");
    assertThat(
            factory()
                .create(
                    Map.of(
                        "region",
                        "eu",
                        "accountId",
                        1,
                        "auth",
                        Map.of("userKey", Map.of("env", SECRET_ENV))),
                    context())
                .backend(query(versionQuery(), "v1")))
        .isEqualTo("newrelic api.eu.newrelic.com");
  }
}
