package dev.aviary.analysis.metrics.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderContract;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.WindowCounts;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.testing.LokiContractServer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code loki} provider against {@link LokiContractServer}, a stand-in that follows Loki's
 * published HTTP API (no Grafana Loki can be installed here: Debian's {@code loki} is another
 * program, and Loki's AGPL keeps it out of this build). Known log lines are pushed — every second
 * one ERROR line of {@code v1}, five of {@code v2}, and two INFO lines of each — and the counts of
 * error lines are read back exactly.
 */
class LokiProviderIT extends MetricProviderContract {

  private static final long NOW = Instant.now().getEpochSecond();
  private static LokiContractServer loki;

  @BeforeAll
  static void start() {
    loki = new LokiContractServer("team-a", SECRET_VALUE);
    for (long t = NOW - 600; t <= NOW + 600; t++) {
      for (String version : new String[] {"v1", "v2"}) {
        Map<String, String> stream = Map.of("app", "aviary", "version", version);
        int errors = version.equals("v1") ? 1 : 5;
        for (int i = 0; i < errors; i++) {
          loki.push(stream, t, "level=ERROR msg=\"payment failed\" order=" + i);
        }
        loki.push(stream, t, "level=INFO msg=\"served\"");
        loki.push(stream, t, "level=INFO msg=\"served\"");
      }
    }
  }

  @AfterAll
  static void stop() {
    loki.close();
  }

  @Override
  protected MetricProviderFactory factory() {
    return new LokiProviderFactory();
  }

  @Override
  protected ProviderContext context() {
    return ProviderContext.of(SecretResolver.fromMap(Map.of(SECRET_ENV, SECRET_VALUE)));
  }

  @Override
  protected Map<String, Object> settings() {
    return Map.of(
        "address",
        loki.url(),
        "headers",
        Map.of("X-Scope-OrgID", "team-a"),
        "auth",
        Map.of("bearer", Map.of("env", SECRET_ENV)));
  }

  /** Error lines a second: one for v1, five for v2. */
  @Override
  protected String versionQuery() {
    return "sum(count_over_time({app=\"aviary\", version=\"${version}\"} |= \"level=ERROR\" [1s]))";
  }

  @Override
  protected double knownValue(String version) {
    return version.equals("v1") ? 1 : 5;
  }

  @Override
  protected String countQuery() {
    return "sum(count_over_time({app=\"aviary\", version=\"${version}\"} |= \"level=ERROR\""
        + " [${window}]))";
  }

  @Override
  protected Instant countWindowEnd() {
    return Instant.ofEpochSecond(NOW);
  }

  @Override
  protected double knownWindowCount() {
    return 60 * 5.0;
  }

  @Test
  void aLineFilterRegexMatchesTheValueItselfOnly() {
    MetricProvider provider = factory().create(settings(), context());
    String template =
        "sum(count_over_time({app=\"aviary\", version=\"v2\"} |~ \"${pattern}\" [${window}]))";
    MetricQuery window = countWindow(countQuery(), "v2");
    assertThat(
            WindowCounts.total(
                provider.fetchWindow(
                    new MetricQuery(
                        template,
                        Map.of("pattern", ".*"),
                        window.start(),
                        window.end(),
                        null,
                        null))))
        .isEmpty();
    assertThat(
            WindowCounts.total(
                provider.fetchWindow(
                    new MetricQuery(
                        template,
                        Map.of("pattern", "payment failed"),
                        window.start(),
                        window.end(),
                        null,
                        null))))
        .hasValue(300.0);
  }

  @Test
  void aLogQueryIsRefusedWithTheWayToCountItsLines() {
    MetricProvider provider = factory().create(settings(), context());
    assertThatThrownBy(
            () ->
                provider.fetch(
                    query("{app=\"aviary\", version=\"${version}\"} |= \"ERROR\"", "v1")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("count_over_time");
  }

  @Test
  void lokisOwnParseErrorIsQuotedAndTheTenantSent() {
    MetricProvider provider = factory().create(settings(), context());
    assertThatThrownBy(() -> provider.fetch(query("sum(count_over_time({app=${version}", "v1")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("Loki rejected the query: parse error at line 1");
    var last = loki.requests().get(loki.requests().size() - 1);
    assertThat(last.header("X-Scope-OrgID")).isEqualTo("team-a");
  }

  @Test
  void aRangeOfWindowsIsOnePointPerWindow() {
    var series =
        factory()
            .create(settings(), context())
            .fetchWindows(
                new MetricQuery(
                    countQuery(),
                    Map.of("version", "v1"),
                    Instant.ofEpochSecond(NOW - 300),
                    Instant.ofEpochSecond(NOW),
                    java.time.Duration.ofSeconds(60),
                    null));
    assertThat(series).hasSize(1);
    assertThat(series.get(0).values()).containsOnly(60.0).hasSize(6);
  }
}
