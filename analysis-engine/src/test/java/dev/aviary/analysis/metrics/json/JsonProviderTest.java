package dev.aviary.analysis.metrics.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.RetryableAnalysisException;
import dev.aviary.analysis.metrics.MetricProviderContract;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.testing.FreePorts;
import dev.aviary.testing.TextHttpServer;
import dev.aviary.testing.TextHttpServer.Reply;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real HTTP server on loopback that checks the bearer token it is sent. */
class JsonProviderTest extends MetricProviderContract {

  private static TextHttpServer server;

  @BeforeAll
  static void startServer() {
    server = new TextHttpServer();
    for (String[] v : new String[][] {{"v1", "0.01"}, {"v2", "0.05"}}) {
      server.answer(
          "/stats/" + v[0],
          r ->
              ("Bearer " + SECRET_VALUE).equals(r.header("Authorization"))
                  ? Reply.ok("application/json", "{\"data\":{\"errorRate\":" + v[1] + "}}")
                  : new Reply(401, "text/plain", "who are you"));
    }
    server.answer("/stats/v9", Reply.ok("application/json", "{\"data\":{\"errorRate\":null}}"));
    server.answer("/list", Reply.ok("application/json", "{\"samples\":[1, 2, \"3.5\"]}"));
    server.answer("/flag", Reply.ok("application/json", "{\"healthy\":true}"));
    server.answer("/text", Reply.ok("application/json", "{\"rate\":\"high\"}"));
    server.answer("/busy", new Reply(503, "text/plain", "overloaded"));
    server.answer(
        "/echo",
        r ->
            Reply.ok(
                "application/json",
                "{\"got\":" + r.body().length() + ", \"body\":" + r.body() + "}"));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected MetricProviderFactory factory() {
    return new JsonProviderFactory();
  }

  @Override
  protected Map<String, Object> settings() {
    return Map.of(
        "jsonPath", "$.data.errorRate", "auth", Map.of("bearer", Map.of("env", SECRET_ENV)));
  }

  @Override
  protected String versionQuery() {
    return server.url("/stats/${version}");
  }

  @Override
  protected double knownValue(String version) {
    return version.equals("v1") ? 0.01 : 0.05;
  }

  @Override
  protected Map<String, Object> unreachableSettings() {
    return settings();
  }

  @Override
  protected String unreachableQuery() {
    return "http://127.0.0.1:" + FreePorts.next() + "/stats/${version}";
  }

  private double[] fetch(String path, Map<String, Object> settings) {
    return factory().create(settings, context()).fetch(query(server.url(path), "v2")).values();
  }

  @Test
  void aListOfNumbersIsASeries() {
    assertThat(fetch("/list", Map.of("jsonPath", "$.samples"))).containsExactly(1.0, 2.0, 3.5);
  }

  @Test
  void argoStyleBracedPathsAndBooleansAreRead() {
    assertThat(fetch("/flag", Map.of("jsonPath", "{$.healthy}"))).containsExactly(1.0);
  }

  /** What was fetched is never repeated: it may be a token the plan's URL minted. */
  @Test
  void aValueThatIsNotANumberIsFatalAndNotEchoed() {
    assertThatThrownBy(() -> fetch("/text", Map.of("jsonPath", "$.rate")))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessage("$['rate'] selected a string of 4 characters, not a number");
  }

  @Test
  void aMissingPathIsNoData() {
    assertThat(fetch("/list", Map.of("jsonPath", "$.nothing.here"))).isEmpty();
  }

  @Test
  void serverOverloadIsRetryableAndAMissingPageIsFatal() {
    assertThatThrownBy(() -> fetch("/busy", Map.of("jsonPath", "$.x")))
        .isInstanceOf(RetryableAnalysisException.class);
    assertThatThrownBy(() -> fetch("/absent", Map.of("jsonPath", "$.x")))
        .isInstanceOf(FatalAnalysisException.class);
  }

  @Test
  void postsTheRenderedBody() {
    Map<String, Object> settings =
        Map.of(
            "method", "POST", "body", "{\"version\":\"${version}\"}", "jsonPath", "$.body.version");
    assertThatThrownBy(() -> fetch("/echo", settings))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("a string of 2 characters, not a number");
    assertThat(server.requests())
        .anySatisfy(r -> assertThat(r.body()).isEqualTo("{\"version\":\"v2\"}"));
  }

  @Test
  void validationNamesEveryBadField() {
    Map<String, Object> settings = new HashMap<>();
    settings.put("jsonPath", "$.[[[");
    settings.put("method", "DELETE");
    settings.put("timeout", "soon");
    settings.put("headers", Map.of("Host", "x"));
    assertThat(factory().validate(settings))
        .extracting(SettingViolation::field)
        .containsExactlyInAnyOrder("jsonPath", "method", "timeout", "headers.Host");
  }
}
