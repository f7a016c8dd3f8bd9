package dev.aviary.controller.judgement.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@AviaryIntegrationTest
class JudgementApiIT {

  @LocalServerPort int port;
  Api api;

  @BeforeEach
  void client() {
    api = new Api(port);
  }

  private static List<Double> around(double mean, double spread, int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      values.add(mean + (random.nextDouble() * 2 - 1) * spread);
    }
    return values;
  }

  @Test
  void judgesTheIssuesExampleAndReportsEveryStatistic() {
    Map<String, Object> request =
        Map.of(
            "judge", Map.of("type", "mann-whitney", "confidence", 0.98, "tolerance", 0.25),
            "thresholds", Map.of("pass", 95, "marginal", 75),
            "groupWeights", Map.of("errors", 100),
            "metrics",
                List.of(
                    Map.of(
                        "name",
                        "error_rate",
                        "group",
                        "errors",
                        "direction",
                        "increase",
                        "critical",
                        true,
                        "nanStrategy",
                        "remove",
                        "baseline",
                        List.of(0.01, 0.012),
                        "canary",
                        List.of(0.05, 0.04))));
    Api.Response response = api.post("/api/v1/judgements", request);
    assertThat(response.status()).isEqualTo(200);
    JsonNode metric = response.json().path("metrics").get(0);
    // Two points a side, fully separated: W = 4, z = (4 - 2 - 0.5) / sqrt(2 * 2 * 5 / 12).
    double z = 1.5 / Math.sqrt(20.0 / 12);
    double expectedP = 2 * (1 - new NormalDistribution().cumulativeProbability(z));
    assertThat(metric.path("pValue").asDouble()).isCloseTo(expectedP, within(1e-12));
    assertThat(metric.path("classification").asString()).isEqualTo("PASS");
    assertThat(metric.path("estimate").asDouble()).isCloseTo(0.034, within(1e-12));
    assertThat(metric.path("effectSize").asDouble()).isCloseTo(0.045 / 0.011, within(1e-12));
    assertThat(metric.path("confidenceInterval").size()).isEqualTo(2);
    assertThat(metric.path("reason").asString()).startsWith("no significant difference");
    assertThat(response.json().path("verdict").asString()).isEqualTo("PASS");
    assertThat(response.json().path("score").asDouble()).isEqualTo(100);
  }

  @Test
  void aClearRegressionFailsWithTheMetricExplained() {
    Map<String, Object> request =
        Map.of(
            "groupWeights", Map.of("errors", 60, "latency", 40),
            "metrics",
                List.of(
                    Map.of(
                        "name",
                        "error_rate",
                        "group",
                        "errors",
                        "direction",
                        "increase",
                        "baseline",
                        around(0.01, 0.002, 60, 1),
                        "canary",
                        around(0.05, 0.005, 60, 2)),
                    Map.of(
                        "name",
                        "p95",
                        "group",
                        "latency",
                        "direction",
                        "increase",
                        "baseline",
                        around(200, 20, 60, 3),
                        "canary",
                        around(200, 20, 60, 4))));
    JsonNode body = api.post("/api/v1/judgements", request).json();
    assertThat(body.path("verdict").asString()).isEqualTo("FAIL");
    assertThat(body.path("score").asDouble()).isEqualTo(40);
    JsonNode errors = body.path("metrics").get(0);
    assertThat(errors.path("classification").asString()).isEqualTo("HIGH");
    assertThat(errors.path("confidenceInterval").get(0).asDouble())
        .isGreaterThan(0.25 * errors.path("estimate").asDouble());
    assertThat(errors.path("reason").asString()).contains("significantly higher");
    assertThat(body.path("metrics").get(1).path("classification").asString()).isEqualTo("PASS");
  }

  @Test
  void theThresholdJudgeLooksAtTheCanaryAlone() {
    Map<String, Object> request =
        Map.of(
            "judge", Map.of("type", "threshold"),
            "metrics",
                List.of(
                    Map.of("name", "error_rate", "max", 0.01, "canary", List.of(0.02, 0.03)),
                    Map.of(
                        "name",
                        "success",
                        "min",
                        0.99,
                        "reducer",
                        "min",
                        "canary",
                        java.util.Arrays.asList(0.999, null, 0.995))));
    JsonNode body = api.post("/api/v1/judgements", request).json();
    assertThat(body.path("metrics").get(0).path("classification").asString()).isEqualTo("HIGH");
    assertThat(body.path("metrics").get(0).path("value").asDouble())
        .isCloseTo(0.025, within(1e-12));
    assertThat(body.path("metrics").get(1).path("classification").asString()).isEqualTo("PASS");
    assertThat(body.path("metrics").get(1).path("canary").path("count").asInt()).isEqualTo(2);
    assertThat(body.path("verdict").asString()).isEqualTo("FAIL");
    assertThat(body.path("score").asDouble()).isEqualTo(50);
  }

  @Test
  void badInputIsA400NamingEveryBadField() {
    Map<String, Object> bad = new HashMap<>();
    bad.put("judge", Map.of("type", "t-test"));
    bad.put("groupWeights", Map.of("errors", 70, "latency", 50));
    bad.put(
        "metrics",
        List.of(
            Map.of(
                "name",
                "error_rate",
                "group",
                "errors",
                "direction",
                "sideways",
                "baseline",
                List.of(),
                "canary",
                List.of(0.1, "high")),
            Map.of("name", "p95", "group", "latency", "canary", List.of(1.0))));
    Api.Response response = api.post("/api/v1/judgements", bad);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().path("type").asString())
        .isEqualTo("https://aviary.dev/problems/invalid-request");
    assertThat(response.errorFields())
        .containsExactlyInAnyOrder(
            "judge.type",
            "metrics[0].direction",
            "metrics[0].baseline",
            "metrics[0].canary[1]",
            "metrics[1].baseline",
            "groupWeights");
  }

  @Test
  void theThresholdJudgeRefusesBaselinesAndNeedsBounds() {
    Map<String, Object> bad =
        Map.of(
            "judge",
            Map.of("type", "threshold"),
            "metrics",
            List.of(Map.of("name", "x", "canary", List.of(1), "baseline", List.of(1))));
    assertThat(api.post("/api/v1/judgements", bad).errorFields())
        .containsExactlyInAnyOrder("metrics[0]", "metrics[0].baseline");
    assertThat(api.post("/api/v1/judgements", Map.of("metrics", List.of())).errorFields())
        .containsExactly("metrics");
    assertThat(api.post("/api/v1/judgements", Map.of("extra", 1)).errorFields())
        .containsExactlyInAnyOrder("metrics", "extra");
  }

  private static Map<String, Object> countsRequest(
      int canaryBad, int canaryTotal, int baselineBad, int baselineTotal, JsonNode state) {
    Map<String, Object> request = new HashMap<>();
    request.put(
        "metrics",
        List.of(
            Map.of(
                "name",
                "errors",
                "counts",
                Map.of(
                    "canary", Map.of("bad", canaryBad, "total", canaryTotal),
                    "baseline", Map.of("bad", baselineBad, "total", baselineTotal)))));
    if (state != null) {
      request.put("state", state);
    }
    return request;
  }

  /** A pipeline driving the sequential judge tick by tick, handing back the state it was given. */
  @Test
  void countsAreJudgedSequentiallyTickByTickWithTheStateHandedBack() {
    SplittableRandom random = new SplittableRandom(11);
    JsonNode state = null;
    JsonNode last = null;
    int ticks = 0;
    for (; ticks < 60; ticks++) {
      int canaryBad = 0;
      int baselineBad = 0;
      for (int i = 0; i < 100; i++) {
        canaryBad += random.nextDouble() < 0.04 ? 1 : 0;
      }
      for (int i = 0; i < 900; i++) {
        baselineBad += random.nextDouble() < 0.01 ? 1 : 0;
      }
      Api.Response response =
          api.post("/api/v1/judgements", countsRequest(canaryBad, 100, baselineBad, 900, state));
      assertThat(response.status()).isEqualTo(200);
      last = response.json();
      state = last.path("state");
      assertThat(state.path("errors").isObject()).isTrue();
      if (!last.path("verdict").asString().equals("UNDECIDED")) {
        break;
      }
      JsonNode metric = last.path("metrics").get(0);
      assertThat(metric.path("classification").asString()).isEqualTo("UNDECIDED");
      assertThat(metric.path("judge").asString()).isEqualTo("sequential");
      assertThat(metric.path("statistics").path("canaryTotal").asDouble())
          .isEqualTo(100.0 * (ticks + 1));
    }
    assertThat(ticks).isBetween(1, 40);
    JsonNode metric = last.path("metrics").get(0);
    assertThat(last.path("verdict").asString()).isEqualTo("FAIL");
    assertThat(metric.path("classification").asString()).isEqualTo("HIGH");
    assertThat(metric.path("statistics").path("harmEvidence").asDouble())
        .isGreaterThanOrEqualTo(100);
    assertThat(metric.path("reason").asString())
        .matches("canary [0-9,]+ bad / [0-9,]+ vs baseline [0-9,]+ / [0-9,]+; ratio .*");

    // the same data without the state is one window: nothing decided
    Api.Response fresh = api.post("/api/v1/judgements", countsRequest(4, 100, 9, 900, null));
    assertThat(fresh.json().path("verdict").asString()).isEqualTo("UNDECIDED");
  }

  @Test
  void badCountsAndStateAreA400NamingEveryBadField() {
    Map<String, Object> request = new HashMap<>();
    request.put(
        "metrics",
        List.of(
            Map.of(
                "name",
                "errors",
                "counts",
                Map.of("canary", Map.of("bad", 5, "total", 4), "baseline", Map.of("bad", -1))),
            Map.of(
                "name",
                "latency",
                "histogram",
                Map.of(
                    "bounds", List.of(0.1, "lots", "+Inf"),
                    "canary", List.of(1, 2, 3),
                    "baseline", List.of(1, 2, 3)))));
    request.put("state", Map.of("nope", Map.of(), "errors", Map.of("r.g0", "x")));
    Api.Response response = api.post("/api/v1/judgements", request);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.errorFields())
        .containsExactlyInAnyOrder(
            "metrics[0].counts.baseline.bad",
            "metrics[0].counts.baseline.total",
            "metrics[1].histogram.bounds[1]",
            "state.nope",
            "state.errors.r.g0");
  }
}
