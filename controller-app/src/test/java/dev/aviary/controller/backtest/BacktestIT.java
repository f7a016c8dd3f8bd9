package dev.aviary.controller.backtest;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import dev.aviary.testing.FreePorts;
import dev.aviary.testing.PrometheusServer;
import dev.aviary.testing.Sampling;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Backtests against a real Prometheus holding three past hours of two versions' traffic (written
 * with promtool): version 1.0 failing 1 % of its requests, 1.1 failing 3 % and with a slow tail.
 * The baseline rehearsed against itself is not rolled back; the canary that ran then is.
 */
@AviaryIntegrationTest
class BacktestIT {

  private static final Instant END =
      Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
  private static final Instant START = END.minus(Duration.ofHours(3));
  private static final double[] BOUNDS = {0.05, 0.1, 0.2, 0.4, 0.8};

  private static PrometheusServer prometheus;

  @LocalServerPort int port;
  Api api;

  @BeforeAll
  static void pastTraffic() throws Exception {
    prometheus =
        PrometheusServer.withHistory(Files.createTempDirectory("aviary-backtest"), history());
  }

  @AfterAll
  static void stop() {
    prometheus.close();
  }

  @BeforeEach
  void client() {
    api = new Api(port);
  }

  /** Counters every 15 s: 60 requests a side, latencies log-normal around 100 ms. */
  static String history() {
    SplittableRandom random = new SplittableRandom(2026);
    StringBuilder requests = new StringBuilder("# TYPE http_requests counter\n");
    StringBuilder durations = new StringBuilder("# TYPE http_request_duration_seconds histogram\n");
    for (String version : List.of("1.0", "1.1")) {
      double errorRate = version.equals("1.0") ? 0.01 : 0.03;
      double tail = version.equals("1.0") ? 1 : 3;
      double ok = 0;
      double failed = 0;
      double[] buckets = new double[BOUNDS.length + 1];
      double sum = 0;
      for (Instant t = START; !t.isAfter(END); t = t.plusSeconds(15)) {
        int n = Sampling.poisson(random, 60);
        int bad = Sampling.binomial(random, n, errorRate);
        ok += n - bad;
        failed += bad;
        for (int i = 0; i < n; i++) {
          double z = random.nextGaussian();
          double latency = 0.1 * Math.exp(0.5 * z) * (z > 2.0 ? tail : 1);
          sum += latency;
          for (int b = 0; b < BOUNDS.length; b++) {
            if (latency <= BOUNDS[b]) {
              buckets[b]++;
            }
          }
          buckets[BOUNDS.length]++;
        }
        long ts = t.getEpochSecond();
        requests.append(sample("http_requests_total", version, "code=\"200\"", ok, ts));
        requests.append(sample("http_requests_total", version, "code=\"500\"", failed, ts));
        for (int b = 0; b <= BOUNDS.length; b++) {
          String le = b < BOUNDS.length ? String.valueOf(BOUNDS[b]) : "+Inf";
          durations.append(
              sample(
                  "http_request_duration_seconds_bucket",
                  version,
                  "le=\"" + le + "\"",
                  buckets[b],
                  ts));
        }
        durations.append(
            sample(
                "http_request_duration_seconds_count", version, null, buckets[BOUNDS.length], ts));
        durations.append(sample("http_request_duration_seconds_sum", version, null, sum, ts));
      }
    }
    return requests.toString() + durations + "# EOF\n";
  }

  private static String sample(String name, String version, String label, double value, long ts) {
    return String.format(
        Locale.ROOT,
        "%s{version=\"%s\"%s} %s %d%n",
        name,
        version,
        label == null ? "" : "," + label,
        value,
        ts);
  }

  private Map<String, Object> plan(String name, String address) {
    Map<String, Object> provider =
        Map.of("type", "prometheus", "address", address, "timeout", "5s");
    return aPlan(name)
        .withRouter(Map.of("type", "dry-run"))
        .withWeights(10, 100)
        .withAnalysis("interval", "1m")
        .withAnalysis("maxDuration", "1h")
        .withMetric(
            Map.of(
                "name",
                "errors",
                "provider",
                provider,
                "counts",
                Map.of(
                    "bad",
                    "sum(increase(http_requests_total{version=\"${version}\",code=\"500\"}[${window}]))",
                    "total",
                    "sum(increase(http_requests_total{version=\"${version}\"}[${window}]))")))
        .withMetric(
            Map.of(
                "name",
                "latency",
                "provider",
                provider,
                "histogram",
                "sum by (le) (increase(http_request_duration_seconds_bucket{version=\"${version}\"}[${window}]))"))
        .build();
  }

  private JsonNode backtest(String plan, Map<String, Object> body, int status) {
    Api.Response response = api.post("/api/v1/plans/" + plan + "/backtest", body);
    assertThat(response.status()).as(response.text()).isEqualTo(status);
    return response.json();
  }

  @Test
  void theBaselineRehearsedAgainstItselfIsNeverRolledBackAndItsTicksAreShown() {
    assertThat(api.post("/api/v1/plans", plan("rehearsed", prometheus.url())).status())
        .isEqualTo(201);
    JsonNode report =
        backtest(
            "rehearsed",
            Map.of(
                "from",
                START.toString(),
                "to",
                END.toString(),
                "baseline",
                Map.of("version", "1.0")),
            200);
    assertThat(report.path("mode").asString()).isEqualTo("baseline-against-itself");
    assertThat(report.path("weight").asInt()).isEqualTo(10);
    assertThat(report.path("rehearsals").asInt()).isEqualTo(3);
    assertThat(report.path("rolledBack").asInt()).isZero();
    assertThat(report.path("rollbackRate").asDouble()).isZero();
    JsonNode ticks = report.path("ticks");
    assertThat(ticks.size()).isEqualTo(180);
    assertThat(ticks.get(0).path("start").asString()).isEqualTo(START.toString());
    assertThat(ticks.get(0).path("summary").asString()).contains("errors", "latency");
    assertThat(ticks.get(59).path("decision").asString()).contains("maxDuration");
    assertThat(ticks.get(60).path("rehearsal").asInt()).isEqualTo(1);
  }

  @Test
  void aCanaryThatRanThenIsRolledBackWithinMinutes() {
    assertThat(api.post("/api/v1/plans", plan("replayed", prometheus.url())).status())
        .isEqualTo(201);
    JsonNode report =
        backtest(
            "replayed",
            Map.of(
                "from", START.toString(),
                "to", END.toString(),
                "baseline", Map.of("version", "1.0"),
                "canary", Map.of("version", "1.1")),
            200);
    assertThat(report.path("mode").asString()).isEqualTo("canary-against-baseline");
    // every rehearsal is rolled back, but perhaps the last, cut short by the end of the range
    assertThat(report.path("rehearsals").asInt()).isGreaterThan(10);
    assertThat(report.path("rolledBack").asInt())
        .isGreaterThanOrEqualTo(report.path("rehearsals").asInt() - 1);
    JsonNode first = report.path("ticks");
    int rolledBackAt = -1;
    for (int i = 0; i < first.size(); i++) {
      if (first.get(i).path("decision").asString().equals("rolled back")) {
        rolledBackAt = i;
        break;
      }
    }
    assertThat(rolledBackAt).isBetween(0, 30);
    assertThat(first.get(rolledBackAt).path("summary").asString()).contains("HIGH");
  }

  @Test
  void theCliDrawsEachRehearsalAsALineOfTicks() {
    assertThat(api.post("/api/v1/plans", plan("drawn", prometheus.url())).status()).isEqualTo(201);
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        dev.aviary.cli.Aviary.execute(
            new String[] {
              "plan",
              "backtest",
              "--plan",
              "drawn",
              "--from",
              START.toString(),
              "--to",
              END.toString(),
              "--baseline-version",
              "1.0",
              "--canary-version",
              "1.1"
            },
            new java.io.PrintWriter(out),
            new java.io.PrintWriter(err),
            Map.of(
                "AVIARY_SERVER",
                "http://127.0.0.1:" + port,
                "AVIARY_TOKEN",
                dev.aviary.testing.TestTokens.ADMIN));
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("the canary against the baseline")
        .containsPattern("rehearsal +1 [.x?]*R +rolled back")
        .containsPattern("\\d+ rehearsals: \\d+ rolled back");
  }

  @Test
  void badRangesUnknownPlansAndADeadBackendAreProblemsNamingTheCause() {
    assertThat(api.post("/api/v1/plans", plan("bad-ranges", prometheus.url())).status())
        .isEqualTo(201);
    Api.Response backwards =
        api.post(
            "/api/v1/plans/bad-ranges/backtest",
            Map.of(
                "from",
                END.toString(),
                "to",
                START.toString(),
                "baseline",
                Map.of("version", "1.0"),
                "colour",
                "red"));
    assertThat(backwards.status()).isEqualTo(400);
    assertThat(backwards.errorFields()).containsExactlyInAnyOrder("to", "colour");
    Api.Response tooLong =
        api.post(
            "/api/v1/plans/bad-ranges/backtest",
            Map.of(
                "from",
                END.minus(Duration.ofDays(30)).toString(),
                "to",
                END.toString(),
                "baseline",
                Map.of("version", "1.0")));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.text()).contains("at most 20160");
    Api.Response noVersion =
        api.post(
            "/api/v1/plans/bad-ranges/backtest",
            Map.of("from", START.toString(), "to", END.toString()));
    assertThat(noVersion.status()).isEqualTo(400);
    assertThat(noVersion.text()).contains("${version}");
    assertThat(
            api.post(
                    "/api/v1/plans/no-such-plan/backtest",
                    Map.of("from", START.toString(), "to", END.toString()))
                .status())
        .isEqualTo(404);

    assertThat(
            api.post("/api/v1/plans", plan("dead-backend", "http://127.0.0.1:" + FreePorts.next()))
                .status())
        .isEqualTo(201);
    Api.Response dead =
        api.post(
            "/api/v1/plans/dead-backend/backtest",
            Map.of(
                "from",
                START.toString(),
                "to",
                END.toString(),
                "baseline",
                Map.of("version", "1.0")));
    assertThat(dead.status()).isEqualTo(502);
    assertThat(dead.json().path("type").asString()).endsWith("/upstream-failure");
    assertThat(dead.json().path("detail").asString()).contains("metric errors");
  }
}
