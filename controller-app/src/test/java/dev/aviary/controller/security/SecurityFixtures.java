package dev.aviary.controller.security;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.support.Api;
import dev.aviary.testing.FreePorts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/** Plans, rollouts and tokens made as the admin, for tests of who may do what to them. */
final class SecurityFixtures {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private final Api admin;
  private final String prefix;

  SecurityFixtures(Api admin, String prefix) {
    this.admin = admin;
    this.prefix = prefix;
  }

  String uniqueName(String what) {
    return prefix + "-" + what + "-" + SEQUENCE.incrementAndGet();
  }

  /** A plan that goes 10% → 100% and then succeeds on the dry-run router. */
  String plan(Map<String, String> labels) {
    String name = uniqueName("plan");
    Api.Response created =
        admin.post("/api/v1/plans", aPlan(name).withLabels(labels).withWeights(10, 100).build());
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    return name;
  }

  /**
   * A plan whose rollout stays PROGRESSING at 10% for an hour: its first analysis is due only after
   * an hour-long interval.
   */
  String slowPlan() {
    String name = uniqueName("slow");
    Api.Response created =
        admin.post(
            "/api/v1/plans",
            aPlan(name)
                .withWeights(10, 100)
                .withWebMetric("error-rate", "http://127.0.0.1:9/never", 0.01)
                .withAnalysis("interval", "1h")
                .build());
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    return name;
  }

  String start(String plan) {
    Api.Response started =
        admin.post("/api/v1/rollouts", Map.of("plan", plan, "canary", Map.of("version", "2.0")));
    assertThat(started.status()).as(started.text()).isEqualTo(201);
    return started.json().path("id").asString();
  }

  /** A rollout PROGRESSING at 10%. */
  String progressingRollout() {
    String id = start(slowPlan());
    awaitPhase(id, "PROGRESSING", 10);
    return id;
  }

  /** A rollout that has SUCCEEDED. */
  String finishedRollout() {
    String id = start(plan(Map.of()));
    awaitPhase(id, "SUCCEEDED", 100);
    return id;
  }

  /** A rollout at 10% waiting for any operator's approval. */
  String awaitingApprovalRollout() {
    String name = uniqueName("approval");
    Api.Response created =
        admin.post(
            "/api/v1/plans",
            aPlan(name)
                .withWeights(10)
                .withStep(Map.of("approval", Map.of()))
                .withWeights(100)
                .build());
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String id = start(name);
    await(id + " waiting for approval")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> admin.get("/api/v1/rollouts/" + id).json().path("approval").isObject());
    return id;
  }

  /**
   * A notification of a rollout that started, to a receiver that is not there: pending, tried again
   * and again, never delivered.
   */
  long undeliveredNotification() {
    String name = uniqueName("notified");
    Api.Response created =
        admin.post(
            "/api/v1/plans",
            aPlan(name)
                .withWeights(100)
                .with(
                    "notifications",
                    List.of(
                        Map.of(
                            "url",
                            "http://127.0.0.1:" + FreePorts.next() + "/gone",
                            "on",
                            List.of("started"))))
                .build());
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String id = start(name);
    long[] delivery = new long[1];
    await(id + "'s notification")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              JsonNode items =
                  admin.get("/api/v1/notifications?rollout=" + id).json().path("items");
              if (items.isEmpty()) {
                return false;
              }
              delivery[0] = items.get(0).path("id").asLong();
              return true;
            });
    return delivery[0];
  }

  private static dev.aviary.testing.TextHttpServer linkReceiver;

  /**
   * The one-time link of a fresh rollout at 10 % waiting for any operator's approval, as its
   * approvalNeeded notification carried it.
   */
  synchronized String approvalLink() {
    if (linkReceiver == null) {
      linkReceiver = new dev.aviary.testing.TextHttpServer();
      linkReceiver.answer("/links", dev.aviary.testing.TextHttpServer.Reply.ok("text/plain", "ok"));
    }
    String name = uniqueName("linked");
    Api.Response created =
        admin.post(
            "/api/v1/plans",
            aPlan(name)
                .withWeights(10)
                .withStep(Map.of("approval", Map.of()))
                .withWeights(100)
                .with(
                    "notifications",
                    List.of(
                        Map.of("url", linkReceiver.url("/links"), "on", List.of("approvalNeeded"))))
                .build());
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String id = start(name);
    tools.jackson.databind.json.JsonMapper json =
        tools.jackson.databind.json.JsonMapper.builder().build();
    String[] link = new String[1];
    await(id + "'s approval link")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              for (dev.aviary.testing.TextHttpServer.Recorded r : linkReceiver.requests()) {
                JsonNode e = json.readTree(r.body());
                if (e.path("rollout").asString().equals(id)) {
                  link[0] = e.path("approvalLink").asString();
                  return true;
                }
              }
              return false;
            });
    return link[0].substring(link[0].lastIndexOf('/') + 1);
  }

  /** A concurrency limit on a label no plan carries: it limits nothing. */
  String limit() {
    Api.Response set =
        admin.post(
            "/api/v1/concurrency-limits",
            Map.of(
                "labels",
                Map.of("fixture", uniqueName("limit")),
                "maxActive",
                1,
                "reason",
                "fixture"));
    assertThat(set.status()).as(set.text()).isEqualTo(201);
    return set.json().path("id").asString();
  }

  /** A freeze in force for a minute on a label no plan carries: it holds nothing. */
  String freeze() {
    Api.Response declared =
        admin.post(
            "/api/v1/freezes",
            Map.of(
                "reason",
                "fixture",
                "labels",
                Map.of("fixture", uniqueName("freeze")),
                "duration",
                "1m"));
    assertThat(declared.status()).as(declared.text()).isEqualTo(201);
    return declared.json().path("id").asString();
  }

  String pausedRollout() {
    String id = progressingRollout();
    assertThat(admin.post("/api/v1/rollouts/" + id + "/pause", null).status()).isEqualTo(200);
    return id;
  }

  String abortedRollout() {
    String id = progressingRollout();
    assertThat(admin.post("/api/v1/rollouts/" + id + "/abort", null).status()).isEqualTo(200);
    awaitPhase(id, "ABORTED", 0);
    return id;
  }

  void awaitPhase(String id, String phase, int weight) {
    await(id + " " + phase + " at " + weight + "%")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Api.Response r = admin.get("/api/v1/rollouts/" + id);
              return r.json().path("phase").asString().equals(phase)
                  && r.json().path("canaryWeight").asInt() == weight;
            });
  }

  /** Issues a token as the admin; answers its value. */
  String token(String name, String role, Map<String, Object> extra) {
    Map<String, Object> body = new java.util.LinkedHashMap<>(extra);
    body.put("name", name);
    body.put("role", role);
    Api.Response issued = admin.post("/api/v1/tokens", body);
    assertThat(issued.status()).as(issued.text()).isEqualTo(201);
    return issued.json().path("token").asString();
  }
}
