package dev.aviary.analysis.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderContract;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.graphite.GraphiteProviderFactory;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.testing.FreePorts;
import dev.aviary.testing.SigV4Gateway;
import dev.aviary.testing.SigV4Verifier;
import dev.aviary.testing.VictoriaMetricsServer;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code prometheus} provider with {@code auth.sigv4}, as Amazon Managed Service for Prometheus
 * needs: every query signed with Signature Version 4 for service {@code aps}. AMP exists only as a
 * service; {@link SigV4Gateway} stands in for its front door (checking each signature independently
 * of the SDK that makes it) in front of a real VictoriaMetrics holding known samples.
 */
class AmazonManagedPrometheusIT extends MetricProviderContract {

  private static final String KEY_ENV = "CONTRACT_AWS_KEY_ID";
  private static final String KEY_ID = "AKIAAVIARYAMP00001";
  private static final long NOW = Instant.now().getEpochSecond();
  private static VictoriaMetricsServer vm;
  private static SigV4Gateway amp;

  @BeforeAll
  static void start() throws Exception {
    vm = VictoriaMetricsServer.start(Files.createTempDirectory("aviary-amp-it"));
    StringBuilder lines = new StringBuilder();
    for (long t = NOW - 600, i = 0; t <= NOW + 600; t++, i++) {
      long ms = t * 1000;
      lines.append("aviary_test_error_ratio{version=\"v1\"} 0.01 ").append(ms).append('\n');
      lines.append("aviary_test_error_ratio{version=\"v2\"} 0.05 ").append(ms).append('\n');
      lines.append("aviary_test_requests_total{version=\"v2\"} ").append(7 * i).append(' ');
      lines.append(ms).append('\n');
    }
    vm.write(lines.toString());
    amp =
        new SigV4Gateway(
            "eu-west-1", new SigV4Verifier.Key(KEY_ID, SECRET_VALUE, null), "ws-aviary", vm.url());
  }

  @AfterAll
  static void stop() {
    amp.close();
    vm.close();
  }

  @Override
  protected MetricProviderFactory factory() {
    return new PrometheusProviderFactory();
  }

  @Override
  protected ProviderContext context() {
    return ProviderContext.of(
        SecretResolver.fromMap(Map.of(SECRET_ENV, SECRET_VALUE, KEY_ENV, KEY_ID)));
  }

  private static Map<String, Object> sigv4(String region) {
    return Map.of(
        "sigv4",
        Map.of(
            "region",
            region,
            "accessKeyId",
            Map.of("env", KEY_ENV),
            "secretAccessKey",
            Map.of("env", SECRET_ENV)));
  }

  @Override
  protected Map<String, Object> settings() {
    return Map.of("address", amp.url(), "auth", sigv4("eu-west-1"));
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
    Map<String, Object> s = new HashMap<>(settings());
    s.put("address", "http://127.0.0.1:" + FreePorts.next() + "/workspaces/ws-aviary");
    return s;
  }

  @Override
  protected String countQuery() {
    return "sum(increase(aviary_test_requests_total{version=\"${version}\"}[${window}]))";
  }

  @Override
  protected MetricQuery countWindow(String template, String version) {
    return new MetricQuery(
        template,
        Map.of("version", version),
        Instant.ofEpochSecond(NOW - 65),
        Instant.ofEpochSecond(NOW - 5),
        null,
        null);
  }

  @Override
  protected double knownWindowCount() {
    return 60 * 7.0;
  }

  @Test
  void everyQueryIsSignedForTheApsService() {
    int before = amp.accepted().size();
    factory().create(settings(), context()).fetch(query(versionQuery(), "v1"));
    assertThat(amp.accepted()).hasSize(before + 1);
    assertThat(amp.accepted().get(before).get("Authorization").get(0))
        .startsWith("AWS4-HMAC-SHA256 Credential=" + KEY_ID + "/")
        .contains("/eu-west-1/aps/aws4_request");
  }

  @Test
  void aSignatureForAnotherRegionOrWithoutOneIsRefused() {
    MetricProvider wrongRegion =
        factory().create(Map.of("address", amp.url(), "auth", sigv4("us-east-1")), context());
    assertThatThrownBy(() -> wrongRegion.fetch(query(versionQuery(), "v1")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("refused the credentials (HTTP 403)");
    MetricProvider unsigned = factory().create(Map.of("address", amp.url()), context());
    assertThatThrownBy(() -> unsigned.fetch(query(versionQuery(), "v1")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("HTTP 403");
  }

  @Test
  void onlyProvidersThatSignTakeSigV4() {
    assertThat(
            new GraphiteProviderFactory()
                .validate(Map.of("address", "http://graphite:8080", "auth", sigv4("eu-west-1"))))
        .extracting(v -> v.field())
        .contains("auth.sigv4");
  }
}
