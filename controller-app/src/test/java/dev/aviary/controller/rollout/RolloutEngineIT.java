package dev.aviary.controller.rollout;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.routing.dryrun.DryRunLedger;
import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import dev.aviary.controller.support.MetricEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The engine end to end inside one controller: real scheduler (clustered Quartz), real PostgreSQL,
 * real HTTP metric endpoints, and the dry-run router's ledger as the record of what traffic was
 * asked for.
 */
@AviaryIntegrationTest
class RolloutEngineIT {

  static final MetricEndpoint METRICS = new MetricEndpoint();

  @LocalServerPort int port;
  @Autowired DryRunLedger ledger;
  Api api;

  @BeforeEach
  void client() {
    api = new Api(port);
  }

  @AfterAll
  static void stopMetrics() {
    METRICS.close();
  }

  /** Steps 10/50/100, judged every second on an error-rate metric with threshold 0.01. */
  private void planWithErrorRate(String plan, Map<String, Object> analysisOverrides) {
    var doc =
        aPlan(plan)
            .withWeights(10, 50, 100)
            .withWebMetric("error-rate", METRICS.urlTemplate(plan + "-errors"), 0.01)
            .withAnalysis("interval", "1s");
    analysisOverrides.forEach(doc::withAnalysis);
    assertThat(api.post("/api/v1/plans", doc.build()).status()).isEqualTo(201);
  }

  private String start(String plan, String version) {
    Api.Response started =
        api.post("/api/v1/rollouts", Map.of("plan", plan, "canary", Map.of("version", version)));
    assertThat(started.status()).as(started.text()).isEqualTo(201);
    return started.json().path("id").asString();
  }

  private JsonNode awaitPhase(String id, String... phases) {
    await("rollout " + id + " reaches " + List.of(phases))
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                List.of(phases)
                    .contains(api.get("/api/v1/rollouts/" + id).json().path("phase").asString()));
    return api.get("/api/v1/rollouts/" + id).json();
  }

  private List<String> weightChanges(String id) {
    return api.get("/api/v1/rollouts/" + id + "/events")
        .json()
        .path("items")
        .valueStream()
        .filter(e -> e.path("type").asString().equals("WEIGHT"))
        .map(e -> e.path("fromWeight").asInt() + "->" + e.path("toWeight").asInt())
        .toList();
  }

  @Test
  void aHealthyCanaryRampsThroughEveryWeightAndSucceeds() {
    planWithErrorRate("healthy", Map.of());
    METRICS.set("healthy-errors", "2.0", 0.001);
    String id = start("healthy", "2.0");
    JsonNode done = awaitPhase(id, "SUCCEEDED", "ROLLED_BACK", "FAILED");
    assertThat(done.path("phase").asString())
        .as(done.path("reason").asString())
        .isEqualTo("SUCCEEDED");
    assertThat(done.path("canaryWeight").asInt()).isEqualTo(100);
    assertThat(ledger.history("healthy")).containsExactly(10, 50, 100);
    assertThat(weightChanges(id)).containsExactly("0->10", "10->50", "50->100");
    JsonNode analyses = api.get("/api/v1/rollouts/" + id + "/analyses").json().path("items");
    // One passing analysis at 10% and one at 50%; at 100% there is no baseline traffic to judge.
    assertThat(analyses.valueStream().map(a -> a.path("weight").asInt()).toList())
        .containsExactly(10, 50);
    JsonNode first = analyses.get(0);
    assertThat(first.path("outcome").asString()).isEqualTo("SUCCESS");
    assertThat(first.path("verdict").asString()).isEqualTo("PASS");
    assertThat(first.path("metrics").get(0).path("classification").asString()).isEqualTo("PASS");
    assertThat(first.path("values").get(0).path("canary").get(0).asDouble()).isEqualTo(0.001);
  }

  @Test
  void anUnhealthyCanaryIsRolledBackToZeroAndTheFailingMetricNamed() {
    planWithErrorRate("unhealthy", Map.of());
    METRICS.set("unhealthy-errors", "2.0", 0.05);
    String id = start("unhealthy", "2.0");
    JsonNode done = awaitPhase(id, "ROLLED_BACK", "SUCCEEDED", "FAILED");
    assertThat(done.path("phase").asString()).isEqualTo("ROLLED_BACK");
    assertThat(done.path("canaryWeight").asInt()).isZero();
    assertThat(done.path("reason").asString())
        .contains("error-rate HIGH")
        .contains("above the maximum 0.01");
    assertThat(ledger.history("unhealthy")).containsExactly(10, 0);
    assertThat(weightChanges(id)).containsExactly("0->10", "10->0");
  }

  @Test
  void aMetricsBackendThatStaysDownNeverPromotesAndRollsBackPastTheErrorLimitAsNotJudged() {
    // Its own backend: the failures open that backend's circuit breaker, which must not stop the
    // other tests' metrics (one breaker per backend host, as in production).
    try (MetricEndpoint down = new MetricEndpoint()) {
      Map<String, Object> doc =
          aPlan("backend-down")
              .withWeights(10, 50, 100)
              .withWebMetric("error-rate", down.urlTemplate("errors"), 0.01)
              .withAnalysis("interval", "1s")
              .withAnalysis("consecutiveErrorLimit", 2)
              .withAnalysis("errorAction", "rollback")
              .build();
      assertThat(api.post("/api/v1/plans", doc).status()).isEqualTo(201);
      down.fail("errors", "2.0", 503);
      String id = start("backend-down", "2.0");
      JsonNode done = awaitPhase(id, "ROLLED_BACK", "SUCCEEDED", "FAILED");
      assertThat(done.path("phase").asString()).isEqualTo("ROLLED_BACK");
      assertThat(done.path("reason").asString())
          .contains("could not judge the canary")
          .contains("could not be fetched 3 times in a row")
          .contains("HTTP 503");
      assertThat(done.path("rollbackCause").asString())
          .as("told apart from a canary that failed")
          .isEqualTo("NOT_JUDGED");
      assertThat(ledger.history("backend-down")).containsExactly(10, 0);
      List<String> outcomes =
          api.get("/api/v1/rollouts/" + id + "/analyses")
              .json()
              .path("items")
              .valueStream()
              .map(a -> a.path("outcome").asString())
              .toList();
      assertThat(outcomes).containsExactly("ERROR", "ERROR", "ERROR");
      assertThat(down.server().requests()).isNotEmpty();
    }
  }

  @Test
  void missingDataNeverPromotesAndPausesForAPerson() {
    planWithErrorRate("no-data", Map.of());
    METRICS.set("no-data-errors", "2.0", null);
    String id = start("no-data", "2.0");
    JsonNode paused = awaitPhase(id, "PAUSED", "SUCCEEDED", "ROLLED_BACK");
    assertThat(paused.path("phase").asString())
        .as(paused.path("reason").asString())
        .isEqualTo("PAUSED");
    assertThat(paused.path("reason").asString()).contains("inconclusive");
    assertThat(paused.path("canaryWeight").asInt()).isEqualTo(10);
    assertThat(ledger.history("no-data")).containsExactly(10);

    METRICS.set("no-data-errors", "2.0", 0.0);
    Api.Response resumed = api.post("/api/v1/rollouts/" + id + "/resume", null);
    assertThat(resumed.status()).isEqualTo(200);
    assertThat(awaitPhase(id, "SUCCEEDED", "ROLLED_BACK").path("phase").asString())
        .isEqualTo("SUCCEEDED");
    assertThat(ledger.history("no-data")).containsExactly(10, 50, 100);
  }

  @Test
  void fullExposureIsPromotionAndNeedsNoBaselineToCompareWith() {
    // At 100% the baseline serves nothing, so a comparison there could only ever be NODATA.
    Map<String, Object> doc =
        aPlan("full-exposure")
            .withWeights(50, 100)
            .withMetric(
                Map.of(
                    "name",
                    "latency",
                    "provider",
                    Map.of("type", "web", "jsonPath", "$.value"),
                    "query",
                    Map.of(
                        "canary",
                        METRICS.urlTemplate("full-canary"),
                        "baseline",
                        METRICS.urlTemplate("full-baseline")),
                    "direction",
                    "increase"))
            .withAnalysis("interval", "1s")
            .build();
    assertThat(api.post("/api/v1/plans", doc).status()).isEqualTo(201);
    METRICS.set("full-canary", "2.0", 100.0);
    METRICS.set("full-baseline", "1.0", 100.0);
    String id =
        api.post(
                "/api/v1/rollouts",
                Map.of(
                    "plan",
                    "full-exposure",
                    "canary",
                    Map.of("version", "2.0"),
                    "baseline",
                    Map.of("version", "1.0")))
            .json()
            .path("id")
            .asString();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.get("/api/v1/rollouts/" + id).json().path("canaryWeight").asInt() == 100);
    METRICS.set("full-baseline", "1.0", null); // the baseline takes no traffic any more
    JsonNode done = awaitPhase(id, "SUCCEEDED", "PAUSED", "ROLLED_BACK");
    assertThat(done.path("phase").asString())
        .as(done.path("reason").asString())
        .isEqualTo("SUCCEEDED");
    assertThat(ledger.history("full-exposure")).containsExactly(50, 100);
  }

  @Test
  void theProgressDeadlineRollsBackARolloutThatStopsMoving() {
    planWithErrorRate("stuck", Map.of("inconclusiveLimit", 1000));
    api.put("/api/v1/plans/stuck", api.get("/api/v1/plans/stuck").json(), Map.of());
    Map<String, Object> doc =
        aPlan("stuck-deadline")
            .withWeights(10, 100)
            .withWebMetric("error-rate", METRICS.urlTemplate("stuck-errors"), 0.01)
            .withAnalysis("interval", "1s")
            .withAnalysis("inconclusiveLimit", 1000)
            .with("progressDeadline", "3s")
            .build();
    assertThat(api.post("/api/v1/plans", doc).status()).isEqualTo(201);
    METRICS.set("stuck-errors", "2.0", null);
    String id = start("stuck-deadline", "2.0");
    JsonNode done = awaitPhase(id, "ROLLED_BACK", "SUCCEEDED");
    assertThat(done.path("phase").asString()).isEqualTo("ROLLED_BACK");
    assertThat(done.path("reason").asString()).contains("no progress for 3s (progressDeadline)");
    assertThat(ledger.history("stuck-deadline")).containsExactly(10, 0);
  }

  @Test
  void aRouterThatCannotBeDrivenRollsBackAndThenFails() {
    try (dev.aviary.testing.TextHttpServer broken = new dev.aviary.testing.TextHttpServer()) {
      broken.answer(
          "/router",
          new dev.aviary.testing.TextHttpServer.Reply(503, "text/plain", "load balancer down"));
      Map<String, Object> doc =
          aPlan("unroutable")
              .withRouter(Map.of("type", "webhook", "url", broken.url("/router")))
              .withWeights(10, 100)
              .build();
      assertThat(api.post("/api/v1/plans", doc).status()).isEqualTo(201);
      String id = start("unroutable", "2.0");
      JsonNode done = awaitPhase(id, "FAILED", "SUCCEEDED", "ROLLED_BACK");
      assertThat(done.path("phase").asString()).isEqualTo("FAILED");
      assertThat(done.path("reason").asString())
          .startsWith("the router could not be driven back to stable after 4 attempts");
      List<String> phases =
          api.get("/api/v1/rollouts/" + id + "/events")
              .json()
              .path("items")
              .valueStream()
              .filter(e -> e.path("type").asString().equals("TRANSITION"))
              .map(e -> e.path("toPhase").asString())
              .toList();
      assertThat(phases).containsExactly("PROGRESSING", "ROLLING_BACK", "FAILED");
      assertThat(
              api.get("/api/v1/rollouts/" + id + "/events")
                  .json()
                  .path("items")
                  .valueStream()
                  .filter(e -> e.path("type").asString().equals("ROUTER_ERROR"))
                  .count())
          .isEqualTo(8);
    }
  }

  @Test
  void thePipelinesRetryWithTheSameKeyGetsTheSameRollout() {
    assertThat(
            api.post(
                    "/api/v1/plans",
                    aPlan("idempotent")
                        .withStep(Map.of("pause", Map.of()))
                        .withWeights(100)
                        .build())
                .status())
        .isEqualTo(201);
    Map<String, Object> body =
        Map.of(
            "plan",
            "idempotent",
            "canary",
            Map.of("version", "3.1"),
            "metadata",
            Map.of("commit", "abc123"));
    Api.Response first =
        api.post("/api/v1/rollouts", body, Map.of("Idempotency-Key", "pipeline-42-attempt-1"));
    Api.Response again =
        api.post("/api/v1/rollouts", body, Map.of("Idempotency-Key", "pipeline-42-attempt-1"));
    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("id").asString()).isEqualTo(first.json().path("id").asString());
    assertThat(again.header("Location"))
        .isEqualTo("/api/v1/rollouts/" + first.json().path("id").asString());

    Map<String, Object> other = Map.of("plan", "idempotent", "canary", Map.of("version", "3.2"));
    Api.Response reused =
        api.post("/api/v1/rollouts", other, Map.of("Idempotency-Key", "pipeline-42-attempt-1"));
    assertThat(reused.status()).isEqualTo(409);
    assertThat(reused.json().path("detail").asString())
        .contains("was used for a different request");
    api.post("/api/v1/rollouts/" + first.json().path("id").asString() + "/abort", null);
  }

  @Test
  void aPlanHasOneActiveRolloutAndASecondStartNamesIt() {
    assertThat(
            api.post(
                    "/api/v1/plans",
                    aPlan("one-at-a-time")
                        .withStep(Map.of("pause", Map.of()))
                        .withWeights(100)
                        .build())
                .status())
        .isEqualTo(201);
    String first = start("one-at-a-time", "1.0");
    Api.Response second =
        api.post(
            "/api/v1/rollouts",
            Map.of("plan", "one-at-a-time", "canary", Map.of("version", "1.1")));
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.json().path("activeRollout").asString()).isEqualTo(first);
    assertThat(second.json().path("detail").asString()).contains(first);
    Api.Response deletePlan = api.delete("/api/v1/plans/one-at-a-time", Map.of());
    assertThat(deletePlan.status()).isEqualTo(409);
    api.post("/api/v1/rollouts/" + first + "/abort", null);
    awaitPhase(first, "ABORTED");
    assertThat(start("one-at-a-time", "1.1")).isNotEqualTo(first);
  }

  @Test
  void badStartRequestsNameEveryBadField() {
    Api.Response bad =
        api.post(
            "/api/v1/rollouts",
            Map.of("plan", "no-such-plan", "canary", Map.of("build", List.of(1)), "extra", true));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.errorFields())
        .containsExactlyInAnyOrder("canary.build", "canary.version", "extra");
    Api.Response unknownPlan =
        api.post(
            "/api/v1/rollouts", Map.of("plan", "no-such-plan", "canary", Map.of("version", "1")));
    assertThat(unknownPlan.status()).isEqualTo(400);
    assertThat(unknownPlan.errorFields()).containsExactly("plan");

    Map<String, Object> needsRegion =
        aPlan("needs-region")
            .withWeights(100)
            .withWebMetric("latency", METRICS.server().url("/m/latency/${version}/${region}"), 100)
            .build();
    assertThat(api.post("/api/v1/plans", needsRegion).status()).isEqualTo(201);
    Api.Response missing =
        api.post(
            "/api/v1/rollouts", Map.of("plan", "needs-region", "canary", Map.of("version", "1")));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.errorFields()).containsExactly("canary");
    assertThat(missing.json().path("errors").get(0).path("message").asString())
        .contains("${region}");
    assertThat(api.get("/api/v1/rollouts/not-a-uuid").errorFields()).containsExactly("id");
    assertThat(api.get("/api/v1/rollouts/00000000-0000-0000-0000-000000000000").status())
        .isEqualTo(404);
  }
}
