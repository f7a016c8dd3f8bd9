package dev.aviary.controller.routing.haproxy;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.routing.TrafficProbe;
import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import dev.aviary.testing.HaproxyServer;
import dev.aviary.testing.TextHttpServer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The controller driving a real HAProxy: the tick reconciles weights a restart has lost. */
@AviaryIntegrationTest
class HaproxyRolloutIT {

  static TextHttpServer stable;
  static TextHttpServer canary;
  static HaproxyServer haproxy;

  @LocalServerPort int port;

  @BeforeAll
  static void start() throws Exception {
    stable = new TextHttpServer().answer("/", TextHttpServer.Reply.ok("text/plain", "stable"));
    canary = new TextHttpServer().answer("/", TextHttpServer.Reply.ok("text/plain", "canary"));
    haproxy =
        HaproxyServer.start(
            Files.createTempDirectory("aviary-haproxy-rollout"),
            List.of(stable.port()),
            List.of(canary.port()));
  }

  @AfterAll
  static void stop() {
    haproxy.close();
    stable.close();
    canary.close();
  }

  @Test
  void aRestartedHaproxyIsBroughtBackToTheRolloutsWeightAndTheDriftRecorded() {
    Api api = new Api(port);
    Map<String, Object> router =
        Map.of(
            "type",
            "haproxy",
            "address",
            haproxy.apiAddress(),
            "backend",
            "app",
            "stable",
            "stable1",
            "canary",
            "canary1");
    Map<String, Object> plan =
        aPlan("haproxy-drift")
            .withRouter(router)
            .withWeights(20)
            .withStep(Map.of("pause", Map.of()))
            .withWeights(100)
            .build();
    assertThat(api.post("/api/v1/plans", plan).status()).isEqualTo(201);
    String id = start(api, "haproxy-drift");
    awaitPhase(api, id, "PAUSED");
    assertThat(TrafficProbe.canaryShare(haproxy.url(), 2000)).isCloseTo(20.0, within(4.0));

    haproxy.restart(); // runtime weights lost: all traffic on stable again
    await("the next reconcile records the drift")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !eventsOf(api, id, "DRIFT").isEmpty());
    String drift = eventsOf(api, id, "DRIFT").get(0);
    assertThat(drift).isEqualTo("the router reported 0% instead of 20%; set it again");
    assertThat(TrafficProbe.canaryShare(haproxy.url(), 2000)).isCloseTo(20.0, within(4.0));

    String metrics = api.get("/actuator/prometheus").text();
    assertThat(metrics)
        .contains("resilience4j_circuitbreaker_state{")
        .contains("name=\"router-haproxy-haproxy-drift\"");
    assertThat(metrics).contains("resilience4j_retry_calls_total{");

    api.post("/api/v1/rollouts/" + id + "/promote", null);
    awaitPhase(api, id, "SUCCEEDED");
    assertThat(TrafficProbe.send(haproxy.url(), 200)).containsOnlyKeys("canary");
  }

  private static List<String> eventsOf(Api api, String id, String type) {
    return api.get("/api/v1/rollouts/" + id + "/events")
        .json()
        .path("items")
        .valueStream()
        .filter(e -> e.path("type").asString().equals(type))
        .map(e -> e.path("reason").asString())
        .toList();
  }

  /** Starts a rollout of version 2 of {@code plan}; answers its id. */
  private static String start(Api api, String plan) {
    return api.post("/api/v1/rollouts", Map.of("plan", plan, "canary", Map.of("version", "2")))
        .json()
        .path("id")
        .asString();
  }

  private static void awaitPhase(Api api, String id, String phase) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> api.get("/api/v1/rollouts/" + id).json().path("phase").asString().equals(phase));
  }

  @Test
  void testersFirstThroughAHeaderRouteWhichARestartLosesAndTheRollbackRemoves() throws Exception {
    try (HaproxyServer lb =
        HaproxyServer.start(
            Files.createTempDirectory("aviary-haproxy-routes"),
            List.of(stable.port()),
            List.of(canary.port()))) {
      Api api = new Api(port);
      Map<String, Object> plan =
          aPlan("haproxy-testers-first")
              .withRouter(
                  Map.of(
                      "type", "haproxy",
                      "address", lb.apiAddress(),
                      "backend", "app",
                      "stable", "stable1",
                      "canary", "canary1",
                      "routeMap", lb.routeMap().toString()))
              .withStep(
                  Map.of(
                      "setHeaderRoute",
                      Map.of(
                          "name",
                          "testers",
                          "match",
                          Map.of("header", "X-Canary", "value", "always"))))
              .withStep(Map.of("pause", Map.of()))
              .withWeights(20)
              .withStep(Map.of("pause", Map.of()))
              .withWeights(100)
              .build();
      assertThat(api.post("/api/v1/plans", plan).status()).isEqualTo(201);
      String id = start(api, "haproxy-testers-first");
      awaitPhase(api, id, "PAUSED");
      assertThat(TrafficProbe.send(lb.url(), 200, Map.of("X-Canary", "always")))
          .as("at 0 %% the testers reach the canary")
          .containsOnlyKeys("canary");
      assertThat(TrafficProbe.send(lb.url(), 200)).containsOnlyKeys("stable");

      lb.restart(); // runtime maps lost with the weights
      await("the next tick sets the route again")
          .atMost(Duration.ofSeconds(30))
          .until(() -> eventsOf(api, id, "ROUTES").size() == 2);
      assertThat(eventsOf(api, id, "ROUTES"))
          .containsOnly("router set to: routes testers (header X-Canary = \"always\")");
      assertThat(TrafficProbe.send(lb.url(), 200, Map.of("X-Canary", "always")))
          .containsOnlyKeys("canary");

      api.post("/api/v1/rollouts/" + id + "/resume", null);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> api.get("/api/v1/rollouts/" + id).json().path("canaryWeight").asInt() == 20);
      awaitPhase(api, id, "PAUSED");
      Map<String, Integer> others = TrafficProbe.send(lb.url(), 2000);
      assertThat(100.0 * others.getOrDefault("canary", 0) / 2000).isCloseTo(20.0, within(4.0));

      assertThat(api.post("/api/v1/rollouts/" + id + "/abort", Map.of()).status()).isEqualTo(200);
      awaitPhase(api, id, "ABORTED");
      assertThat(TrafficProbe.send(lb.url(), 200, Map.of("X-Canary", "always")))
          .as("the rollback removed the route")
          .containsOnlyKeys("stable");
    }
  }

  @Test
  void blueGreenPreviewsThenSwitchesAllTrafficAtOnceAndAnAbortInTheDelaySwitchesBack()
      throws Exception {
    try (HaproxyServer lb =
        HaproxyServer.start(
            Files.createTempDirectory("aviary-haproxy-blue-green"),
            List.of(stable.port()),
            List.of(canary.port()))) {
      Api api = new Api(port);
      Map<String, Object> plan = new java.util.LinkedHashMap<>();
      plan.put("name", "haproxy-blue-green");
      plan.put(
          "router",
          Map.of(
              "type", "haproxy",
              "address", lb.apiAddress(),
              "backend", "app",
              "stable", "stable1",
              "canary", "canary1",
              "routeMap", lb.routeMap().toString()));
      plan.put(
          "blueGreen",
          Map.of(
              "preview",
              Map.of("cookie", "preview", "value", "yes"),
              "autoPromote",
              false,
              "scaleDownDelay",
              "10m"));
      assertThat(api.post("/api/v1/plans", plan).status()).isEqualTo(201);
      String id = start(api, "haproxy-blue-green");
      awaitPhase(api, id, "PAUSED"); // before the switch, for a person
      assertThat(TrafficProbe.send(lb.url(), 200, Map.of("Cookie", "preview=yes")))
          .as("the preview reaches the new version")
          .containsOnlyKeys("canary");
      assertThat(TrafficProbe.send(lb.url(), 200)).containsOnlyKeys("stable");

      api.post("/api/v1/rollouts/" + id + "/resume", null);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> api.get("/api/v1/rollouts/" + id).json().path("canaryWeight").asInt() == 100);
      assertThat(TrafficProbe.send(lb.url(), 200)).containsOnlyKeys("canary");
      assertThat(eventsOf(api, id, "WEIGHT"))
          .as("one switch, nothing in between")
          .containsExactly("canary weight 0% -> 100% (read back)");
      assertThat(api.get("/api/v1/rollouts/" + id).json().path("phase").asString())
          .as("the scale-down delay: the old version stays ready")
          .isEqualTo("PAUSED");

      assertThat(api.post("/api/v1/rollouts/" + id + "/abort", Map.of()).status()).isEqualTo(200);
      awaitPhase(api, id, "ABORTED");
      assertThat(TrafficProbe.send(lb.url(), 200)).as("switched back").containsOnlyKeys("stable");
      assertThat(TrafficProbe.send(lb.url(), 100, Map.of("Cookie", "preview=yes")))
          .containsOnlyKeys("stable");
    }
  }
}
