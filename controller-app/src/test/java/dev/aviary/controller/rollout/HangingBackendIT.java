package dev.aviary.controller.rollout;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.routing.dryrun.DryRunLedger;
import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import dev.aviary.testing.BlackHoleServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A router and a metrics backend that accept connections and never answer, beside a plan whose
 * router answers: with the test profile's two dispatchers, the healthy rollout must go through all
 * its steps while the others' calls hang (their own timeouts are a minute: before lanes, two hung
 * ticks held both dispatchers for three attempts of a minute each). The time the healthy rollout
 * took is printed; docs/performance.md has the tick-lag figures of the same situation at scale.
 */
@AviaryIntegrationTest
class HangingBackendIT {

  @LocalServerPort int port;
  @Autowired DryRunLedger ledger;

  @Test
  void aRolloutWhoseRouterAnswersGoesThroughItsStepsWhileOtherBackendsHang() throws Exception {
    Api api = new Api(port);
    List<String> hung = new ArrayList<>();
    try (BlackHoleServer hole = new BlackHoleServer()) {
      for (int i = 0; i < 2; i++) {
        String plan = "hung-router-" + i;
        assertThat(
                api.post(
                        "/api/v1/plans",
                        aPlan(plan)
                            .withRouter(
                                Map.of(
                                    "type",
                                    "webhook",
                                    "url",
                                    hole.url("/weights"),
                                    "timeout",
                                    "60s"))
                            .withWeights(10, 100)
                            .build())
                    .status())
            .isEqualTo(201);
        hung.add(start(api, plan));
      }
      for (int i = 0; i < 2; i++) {
        String plan = "hung-metric-" + i;
        assertThat(
                api.post(
                        "/api/v1/plans",
                        aPlan(plan)
                            .withWeights(10, 100)
                            .withMetric(
                                Map.of(
                                    "name",
                                    "error-rate",
                                    "provider",
                                    Map.of("type", "web", "jsonPath", "$.value", "timeout", "60s"),
                                    "query",
                                    hole.url("/metric?v=${version}"),
                                    "threshold",
                                    Map.of("max", 0.01)))
                            .withAnalysis("interval", "1s")
                            .build())
                    .status())
            .isEqualTo(201);
        hung.add(start(api, plan));
      }
      await("the hung backends hold calls")
          .atMost(Duration.ofSeconds(60))
          .until(() -> hole.held() >= 2);

      assertThat(
              api.post("/api/v1/plans", aPlan("beside-hung").withWeights(10, 50, 100).build())
                  .status())
          .isEqualTo(201);
      long started = System.nanoTime();
      String healthy = start(api, "beside-hung");
      await("the rollout beside the hung backends succeeds")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> phase(api, healthy).equals("SUCCEEDED"));
      System.out.printf(
          "beside two hung routers and two hung metric backends: three steps in %.1f s%n",
          (System.nanoTime() - started) / 1e9);
      assertThat(ledger.history("beside-hung")).containsExactly(10, 50, 100);

      // the hung router's rollouts say why they do not move: the router did not answer in time
      await("a hung router's slowness is recorded")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  api.get("/api/v1/rollouts/" + hung.get(0) + "/events")
                      .text()
                      .contains("did not answer within"));
      assertThat(phase(api, hung.get(0))).isIn("PROGRESSING", "ROLLING_BACK");
    } finally {
      for (String id : hung) {
        api.post("/api/v1/rollouts/" + id + "/abort", Map.of());
      }
    }
    // with the black hole gone the routers refuse connections: the rollouts end (rolled back or,
    // for the routers that never answer again, failed) and stop ticking for the tests after this
    await("the hung rollouts end")
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                hung.stream()
                    .allMatch(
                        id ->
                            !List.of("PROGRESSING", "PAUSED", "ROLLING_BACK", "PENDING")
                                .contains(phase(api, id))));
  }

  private static String start(Api api, String plan) {
    Api.Response r =
        api.post("/api/v1/rollouts", Map.of("plan", plan, "canary", Map.of("version", "2.0")));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().path("id").asString();
  }

  private static String phase(Api api, String id) {
    return api.get("/api/v1/rollouts/" + id).json().path("phase").asString();
  }
}
