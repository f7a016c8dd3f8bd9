package dev.aviary.analysis.metrics.graphite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderContract;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.WindowCounts;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.testing.GraphiteServer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code graphite} provider against a real Graphite: carbon-cache and graphite-web from
 * Debian's {@code graphite-carbon} and {@code graphite-web}. Known points are written through
 * carbon's plaintext protocol — a gauge per version every second, and 3 + 4 requests a second for
 * {@code v2} from two pods — and read back exactly through the render API.
 */
class GraphiteProviderIT extends MetricProviderContract {

  private static final long NOW = Instant.now().getEpochSecond();
  private static GraphiteServer graphite;

  @BeforeAll
  static void start() throws Exception {
    graphite = GraphiteServer.start(Files.createTempDirectory("aviary-graphite-it"));
    StringBuilder lines = new StringBuilder();
    for (long t = NOW - 600; t <= NOW + 600; t++) {
      lines.append("aviary.v1.error_ratio 0.01 ").append(t).append('\n');
      lines.append("aviary.v2.error_ratio 0.05 ").append(t).append('\n');
      lines.append("aviary.v2.pod-a.requests 3 ").append(t).append('\n');
      lines.append("aviary.v2.pod-b.requests 4 ").append(t).append('\n');
    }
    graphite.write(lines.toString());
    // carbon takes the points in over a moment: wait until the last of them reads back
    MetricProvider provider =
        new GraphiteProviderFactory()
            .create(
                Map.of("address", graphite.url()),
                ProviderContext.of(SecretResolver.fromMap(Map.of())));
    await("Graphite holds the points")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                WindowCounts.total(
                            provider.fetchWindow(
                                new MetricQuery(
                                    "sumSeries(aviary.v2.*.requests)",
                                    Map.of(),
                                    Instant.ofEpochSecond(NOW - 600),
                                    Instant.ofEpochSecond(NOW),
                                    null,
                                    null)))
                        .orElse(0)
                    == 600 * 7.0);
  }

  @AfterAll
  static void stop() {
    graphite.close();
  }

  @Override
  protected MetricProviderFactory factory() {
    return new GraphiteProviderFactory();
  }

  @Override
  protected ProviderContext context() {
    return ProviderContext.of(SecretResolver.fromMap(Map.of(SECRET_ENV, SECRET_VALUE)));
  }

  /** graphite-web takes any Authorization header when it has no users configured. */
  @Override
  protected Map<String, Object> settings() {
    return Map.of("address", graphite.url(), "auth", Map.of("bearer", Map.of("env", SECRET_ENV)));
  }

  @Override
  protected String versionQuery() {
    return "aviary.${version}.error_ratio";
  }

  @Override
  protected double knownValue(String version) {
    return version.equals("v1") ? 0.01 : 0.05;
  }

  @Override
  protected String countQuery() {
    return "sumSeries(aviary.${version}.*.requests)";
  }

  @Override
  protected Instant countWindowEnd() {
    return Instant.ofEpochSecond(NOW);
  }

  @Override
  protected double knownWindowCount() {
    return 60 * 7.0; // seconds NOW-59 .. NOW
  }

  @Test
  void aVersionWithDotsCannotAddPathSegments() {
    MetricProvider provider = factory().create(settings(), context());
    assertThatThrownBy(() -> provider.fetch(query(versionQuery(), "v9.x")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("a dot adds a path segment");
  }

  @Test
  void graphitesOwnReasonIsQuotedForATargetItCannotEvaluate() {
    MetricProvider provider = factory().create(settings(), context());
    assertThatThrownBy(() -> provider.fetch(query("noSuchFunction(aviary.${version}.x)", "v1")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("unknown function: noSuchFunction");
  }

  @Test
  void eachPodIsASeriesOfItsOwnWithoutSumSeries() {
    var series =
        factory()
            .create(settings(), context())
            .fetchWindow(countWindow("aviary.${version}.*.requests", "v2"));
    assertThat(series)
        .extracting(s -> s.labels().get("target") + "=" + s.values()[0])
        .containsExactlyInAnyOrder(
            "aviary.v2.pod-a.requests=180.0", "aviary.v2.pod-b.requests=240.0");
  }
}
