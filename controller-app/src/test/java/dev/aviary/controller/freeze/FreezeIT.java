package dev.aviary.controller.freeze;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import dev.aviary.controller.support.MetricEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Freezes and release windows on a running controller: a held rollout keeps its weight, says why,
 * is still rolled back on a bad metric, and goes on when the freeze is lifted.
 */
@AviaryIntegrationTest
class FreezeIT {

  static final MetricEndpoint METRICS = new MetricEndpoint();

  @LocalServerPort int port;
  Api admin;

  @AfterAll
  static void stop() {
    METRICS.close();
  }

  @BeforeEach
  void client() {
    admin = new Api(port);
  }

  /** 10 %, 50 %, 100 %, judged every second on an error rate the test sets. */
  private void plan(String name, Map<String, String> labels) {
    Api.Response r =
        admin.post(
            "/api/v1/plans",
            aPlan(name)
                .withLabels(labels)
                .withWeights(10, 50, 100)
                .withWebMetric("error-rate", METRICS.urlTemplate(name), 0.01)
                .withAnalysis("interval", "1s")
                .build());
    assertThat(r.status()).as(r.text()).isEqualTo(201);
  }

  private String start(String plan, String version) {
    Api.Response r =
        admin.post("/api/v1/rollouts", Map.of("plan", plan, "canary", Map.of("version", version)));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().path("id").asString();
  }

  private JsonNode rollout(String id) {
    return admin.get("/api/v1/rollouts/" + id).json();
  }

  private JsonNode awaitRollout(String id, String what, java.util.function.Predicate<JsonNode> p) {
    await(id + " " + what)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> p.test(rollout(id)));
    return rollout(id);
  }

  /** Freezes this class declared: lifted after each test, whatever its outcome. */
  private final List<String> declared = new java.util.ArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void liftWhatIsLeft() {
    declared.forEach(id -> admin.delete("/api/v1/freezes/" + id, Map.of()));
  }

  private String declare(Map<String, Object> body) {
    Api.Response r = admin.post("/api/v1/freezes", body);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    declared.add(r.json().path("id").asString());
    return r.json().path("id").asString();
  }

  @Test
  void aFreezeHoldsARunningRolloutsWeightABadMetricStillRollsItBackAndLiftingItLetsItGoOn() {
    plan("frozen-payments", Map.of("team", "freeze-it-payments"));
    plan("frozen-search", Map.of("team", "freeze-it-search"));
    METRICS.set("frozen-payments", "2", 0.0).set("frozen-payments", "3", 0.0);
    METRICS.set("frozen-search", "2", 0.0);
    String freeze =
        declare(
            Map.of(
                "reason",
                "payments incident INC-77",
                "labels",
                Map.of("team", "freeze-it-payments"),
                "duration",
                "2h"));
    JsonNode declared = admin.get("/api/v1/freezes/" + freeze).json();
    assertThat(declared.path("inForce").asBoolean()).isTrue();
    assertThat(declared.path("createdBy").asString()).isEqualTo("token:bootstrap-admin");

    String held = start("frozen-payments", "2");
    String other = start("frozen-search", "2");
    JsonNode holding = awaitRollout(held, "held", r -> r.path("hold").isString());
    assertThat(holding.path("hold").asString())
        .startsWith("freeze \"payments incident INC-77\" on team=freeze-it-payments until ")
        .endsWith(", declared by token:bootstrap-admin");
    assertThat(holding.path("canaryWeight").asInt())
        .as("it has not started: the first weight is a rise too")
        .isZero();
    assertThat(
            awaitRollout(other, "promoted", r -> r.path("phase").asString().equals("SUCCEEDED"))
                .path("canaryWeight")
                .asInt())
        .as("a freeze on team=freeze-it-payments leaves freeze-it-search alone")
        .isEqualTo(100);

    // lift it, let the rollout reach 10 %, freeze again: it holds there, and is still judged
    assertThat(admin.delete("/api/v1/freezes/" + freeze, Map.of()).status()).isEqualTo(200);
    awaitRollout(held, "at 10 %", r -> r.path("canaryWeight").asInt() >= 10);
    String second =
        declare(
            Map.of(
                "reason",
                "change freeze",
                "labels",
                Map.of("team", "freeze-it-payments"),
                "until",
                Instant.now().plus(Duration.ofHours(1)).toString()));
    JsonNode atTen =
        awaitRollout(
            held, "held at its weight", r -> r.path("hold").asString("").contains("change freeze"));
    int weight = atTen.path("canaryWeight").asInt();
    assertThat(weight).isBetween(10, 50);
    METRICS.set("frozen-payments", "2", 0.5);
    JsonNode back =
        awaitRollout(held, "rolled back", r -> r.path("phase").asString().equals("ROLLED_BACK"));
    assertThat(back.path("rollbackCause").asString()).isEqualTo("CANARY_FAILED");
    assertThat(back.has("hold")).isFalse();
    List<String> holds = new java.util.ArrayList<>();
    admin
        .get("/api/v1/rollouts/" + held + "/events")
        .json()
        .path("items")
        .forEach(
            e -> {
              if (e.path("type").asString().equals("HOLD")) {
                holds.add(e.path("reason").asString());
              }
            });
    assertThat(holds).hasSizeGreaterThanOrEqualTo(3);
    assertThat(holds.get(0)).startsWith("holding at 0%: freeze \"payments incident INC-77\"");
    assertThat(holds.get(1)).isEqualTo("the release gate opened: traffic may rise again");
    assertThat(holds.get(2))
        .startsWith(
            "holding at " + weight + "%: freeze \"change freeze\" on team=freeze-it-payments");

    // lifted, the next release of the plan ramps to the end
    assertThat(admin.delete("/api/v1/freezes/" + second, Map.of()).status()).isEqualTo(200);
    Api.Response again = admin.delete("/api/v1/freezes/" + second, Map.of());
    assertThat(again.status()).isEqualTo(409);
    String next = start("frozen-payments", "3");
    assertThat(
            awaitRollout(next, "promoted", r -> r.path("phase").asString().equals("SUCCEEDED"))
                .path("canaryWeight")
                .asInt())
        .isEqualTo(100);
    assertThat(admin.get("/api/v1/audit?actor=token:bootstrap-admin").json().toString())
        .contains("freeze.declared")
        .contains("freeze.lifted");
  }

  @Test
  void outsideItsWindowsARolloutHoldsAndSaysWhenTheNextOpens() {
    // a window that opened an hour ago and closed a minute ago, every day: closed now
    java.time.LocalTime now = java.time.LocalTime.now(ZoneOffset.UTC);
    String from = now.minusHours(1).withSecond(0).withNano(0).toString();
    String to = now.minusMinutes(1).withSecond(0).withNano(0).toString();
    Api.Response created =
        admin.post(
            "/api/v1/plans",
            aPlan("windowed")
                .withWeights(50, 100)
                .with("windows", List.of(Map.of("from", from, "to", to, "timeZone", "UTC")))
                .build());
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String id = start("windowed", "2");
    JsonNode held = awaitRollout(id, "held", r -> r.path("hold").isString());
    assertThat(held.path("hold").asString())
        .startsWith("outside the plan's release windows (mon-sun " + from + "-" + to + " UTC)")
        .contains("the next opens at ");
    assertThat(held.path("canaryWeight").asInt()).isZero();
    assertThat(admin.post("/api/v1/rollouts/" + id + "/abort", null).status()).isEqualTo(200);
  }

  @Test
  void pastAConcurrencyLimitARolloutWaitsAtZeroUntilTheOneAheadEnds() {
    Api.Response limit =
        admin.post(
            "/api/v1/concurrency-limits",
            Map.of(
                "labels", Map.of("lane", "limit-it"), "maxActive", 1, "reason", "one at a time"));
    assertThat(limit.status()).as(limit.text()).isEqualTo(201);
    String limitId = limit.json().path("id").asString();
    try {
      for (String name : List.of("limited-a", "limited-b")) {
        Api.Response r =
            admin.post(
                "/api/v1/plans",
                aPlan(name)
                    .withLabels(Map.of("lane", "limit-it"))
                    .withWeights(10)
                    .withStep(Map.of("pause", Map.of()))
                    .withWeights(100)
                    .build());
        assertThat(r.status()).as(r.text()).isEqualTo(201);
      }
      String first = start("limited-a", "2");
      awaitRollout(first, "paused at 10 %", r -> r.path("phase").asString().equals("PAUSED"));
      String second = start("limited-b", "2");
      JsonNode waiting = awaitRollout(second, "waiting", r -> r.path("hold").isString());
      assertThat(waiting.path("phase").asString()).isEqualTo("PENDING");
      assertThat(waiting.path("hold").asString())
          .isEqualTo(
              "waiting for a slot: 1 of at most 1 rollouts of plans labelled lane=limit-it are"
                  + " under way (one at a time)");

      assertThat(admin.post("/api/v1/rollouts/" + first + "/abort", null).status()).isEqualTo(200);
      JsonNode began =
          awaitRollout(second, "paused at 10 %", r -> r.path("phase").asString().equals("PAUSED"));
      assertThat(began.path("canaryWeight").asInt()).isEqualTo(10);
      assertThat(began.has("hold")).isFalse();
      assertThat(admin.post("/api/v1/rollouts/" + second + "/abort", null).status()).isEqualTo(200);
    } finally {
      assertThat(admin.delete("/api/v1/concurrency-limits/" + limitId, Map.of()).status())
          .isEqualTo(204);
    }
    Api.Response bad =
        admin.post("/api/v1/concurrency-limits", Map.of("labels", Map.of(), "maxActive", 0));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.errorFields()).containsExactlyInAnyOrder("labels", "maxActive", "reason");
  }

  @Test
  void aBadFreezeIsRefusedNamingEveryField() {
    Api.Response bad =
        admin.post(
            "/api/v1/freezes",
            Map.of(
                "labels", Map.of("team", "pay ments"),
                "from", "tomorrow",
                "until", "2020-01-01T00:00:00Z",
                "duration", "2h",
                "scope", "all"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.errorFields())
        .containsExactlyInAnyOrder("reason", "labels.team", "from", "duration", "scope");
    Api.Response past =
        admin.post("/api/v1/freezes", Map.of("reason", "x", "until", "2020-01-01T00:00:00Z"));
    assertThat(past.status()).isEqualTo(400);
    assertThat(past.errorFields()).containsExactly("until");
    Api.Response tooLong = admin.post("/api/v1/freezes", Map.of("reason", "x", "duration", "91d"));
    assertThat(tooLong.errorFields()).containsExactly("duration");
  }
}
