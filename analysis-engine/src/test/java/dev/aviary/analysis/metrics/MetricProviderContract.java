package dev.aviary.analysis.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.analysis.AnalysisException;
import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.RetryableAnalysisException;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.testing.FreePorts;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What every metric provider promises. Each provider's test extends this and supplies a real
 * backend holding one series per version: {@code v1} and {@code v2} have known values, {@code v9}
 * has none. The backend answers credentials from {@link #SECRET_ENV}.
 */
public abstract class MetricProviderContract {

  /** The environment variable, in the tests' resolver, that holds the backend's credential. */
  protected static final String SECRET_ENV = "CONTRACT_SECRET";

  /** A credential value that must never show up in any message. */
  protected static final String SECRET_VALUE = "planted-secret-3f9a";

  protected abstract MetricProviderFactory factory();

  /** What the host hands the provider; the secret resolver knows {@link #SECRET_ENV}. */
  protected ProviderContext context() {
    return ProviderContext.of(SecretResolver.fromMap(Map.of(SECRET_ENV, SECRET_VALUE)));
  }

  @Test
  void isDiscoveredByItsType() {
    assertThat(MetricProviders.discover().find(factory().type()))
        .get()
        .isInstanceOf(factory().getClass());
  }

  @Test
  void namesItsBackendWithoutCredentials() {
    String backend = factory().create(settings(), context()).backend(query(versionQuery(), "v1"));
    assertThat(backend).startsWith(factory().type() + " ").doesNotContain(SECRET_VALUE);
  }

  /** Settings for the live backend. */
  protected abstract Map<String, Object> settings();

  /** A query template for the series of {@code ${version}}. */
  protected abstract String versionQuery();

  /** The value the live backend holds for {@code version}. */
  protected abstract double knownValue(String version);

  /**
   * Settings for an address where nothing listens: by default the live settings with their {@code
   * address} (or {@code endpoint}) on a free loopback port.
   */
  protected Map<String, Object> unreachableSettings() {
    Map<String, Object> s = new HashMap<>(settings());
    s.put(
        s.containsKey("address") ? "address" : "endpoint", "http://127.0.0.1:" + FreePorts.next());
    return s;
  }

  /** The query sent to the unreachable backend; providers whose query is a URL override it. */
  protected String unreachableQuery() {
    return versionQuery();
  }

  protected MetricQuery query(String template, String version) {
    Instant end = Instant.now();
    return new MetricQuery(
        template,
        Map.of("version", version, "interval", "1m"),
        end.minus(Duration.ofSeconds(5)),
        end,
        null,
        null);
  }

  @Test
  void fetchesTheKnownValuesOfTheRenderedScope() {
    MetricProvider provider = factory().create(settings(), context());
    for (String version : List.of("v1", "v2")) {
      MetricData data = provider.fetch(query(versionQuery(), version));
      assertThat(data).isInstanceOf(MetricData.Values.class);
      assertThat(data.values()).isNotEmpty().containsOnly(knownValue(version));
    }
  }

  @Test
  void reportsNoDataForAScopeWithoutDataNeverZero() {
    MetricData data = factory().create(settings(), context()).fetch(query(versionQuery(), "v9"));
    assertThat(data).isInstanceOf(MetricData.NoData.class);
    assertThat(data.values()).isEmpty();
  }

  @Test
  void anUnreachableBackendIsARetryableFailureThatNamesNoSecret() {
    MetricProvider provider = factory().create(unreachableSettings(), context());
    assertThatThrownBy(() -> provider.fetch(query(unreachableQuery(), "v2")))
        .isInstanceOf(RetryableAnalysisException.class)
        .satisfies(e -> assertThat(((AnalysisException) e).retryable()).isTrue())
        .message()
        .doesNotContain(SECRET_VALUE);
  }

  /**
   * Values from whoever starts a rollout are data: a version crafted to close the query's string
   * and select another version's series, or to climb to another path of the metric host, fetches
   * nothing of another version's (no data, or a refusal), never its values.
   */
  @Test
  void aHostileVersionNeverReadsAnotherVersionsData() {
    MetricProvider provider = factory().create(settings(), context());
    for (String hostile :
        List.of(
            "v9\"} or aviary_test_error_ratio{version=\"v2",
            "v9\"}) or max(aviary_test_error_ratio{version=\"v2",
            "v9|v2",
            ".*",
            "../stats/v2",
            "../v2",
            "v2#",
            "v2?x=1",
            "v2/",
            "v2\n")) {
      MetricData data;
      try {
        data = provider.fetch(query(versionQuery(), hostile));
      } catch (FatalAnalysisException refused) {
        continue; // refused outright: equally safe
      }
      assertThat(data).as(hostile).isInstanceOf(MetricData.NoData.class);
    }
  }

  @Test
  void anUndefinedTemplateVariableIsFatalAndNamed() {
    assertThatThrownBy(
            () -> factory().create(settings(), context()).fetch(query("${undefined_thing}", "v2")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("${undefined_thing}")
        .hasMessageContaining("version");
  }

  @Test
  void validationNamesEveryUnknownSetting() {
    Map<String, Object> settings = new HashMap<>(settings());
    settings.put("bogus", 1);
    settings.put("alsoBogus", true);
    assertThat(factory().validate(settings))
        .extracting(SettingViolation::field)
        .containsExactlyInAnyOrder("bogus", "alsoBogus");
  }

  @Test
  void validationRefusesLiteralCredentials() {
    Map<String, Object> settings = new HashMap<>(settings());
    settings.put("auth", Map.of("bearer", "a-literal-token"));
    assertThat(factory().validate(settings))
        .extracting(SettingViolation::field)
        .contains("auth.bearer");
  }

  /**
   * A count-shaped query for {@code ${version}} (requests, errors), or null where the source has no
   * counts: the sequential judge reads a window's count from it.
   */
  protected @Nullable String countQuery() {
    return null;
  }

  /** The end of the minute whose count {@link #knownWindowCount} the backend holds for v2. */
  protected Instant countWindowEnd() {
    throw new UnsupportedOperationException("a provider with a count query names its window");
  }

  /** The window whose count {@link #knownWindowCount} the backend holds for {@code v2}. */
  protected MetricQuery countWindow(String template, String version) {
    Instant end = countWindowEnd();
    return new MetricQuery(
        template, Map.of("version", version), end.minusSeconds(60), end, null, null);
  }

  /** The exact count of {@code v2} in {@link #countWindow}. */
  protected double knownWindowCount() {
    return Double.NaN;
  }

  @Test
  void readsAWindowsCountExactlyAndNoneForAVersionWithout() {
    String template = countQuery();
    Assumptions.assumeTrue(template != null, "the source has no counts");
    MetricProvider provider = factory().create(settings(), context());
    assertThat(WindowCounts.total(provider.fetchWindow(countWindow(template, "v2"))))
        .hasValue(knownWindowCount());
    assertThat(WindowCounts.total(provider.fetchWindow(countWindow(template, "v9")))).isEmpty();
  }

  @Test
  void liveSettingsAreValid() {
    assertThat(factory().validate(settings())).isEmpty();
  }
}
