package dev.aviary.controller.rollout;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.platform.webhook.WebhookSender;
import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import dev.aviary.testing.TextHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hooks over real HTTP: a load-test service that says wait, then go; a change-ticket check that
 * says no-go; calls after promotion and on rollback. Signed, with one Idempotency-Key per gate.
 */
@AviaryIntegrationTest
class HookIT {

  static final String KEY = "hook-hmac-key-31";
  static TextHttpServer services;
  static Path keyFile;
  static final AtomicInteger LOAD_TEST_CALLS = new AtomicInteger();

  @LocalServerPort int port;
  final JsonMapper json = JsonMapper.builder().build();

  @BeforeAll
  static void serve() throws Exception {
    Path secrets =
        Files.createDirectories(
            Path.of(System.getProperty("java.io.tmpdir"), "aviary-test-secrets"));
    keyFile = Files.createTempFile(secrets, "hook-gate", ".txt");
    Files.writeString(keyFile, KEY + "\n");
    services = new TextHttpServer();
    // a load test: started by the first call, judged by the second
    services.answer(
        "/load-test",
        r ->
            LOAD_TEST_CALLS.incrementAndGet() == 1
                ? TextHttpServer.Reply.json(
                    200, "{\"status\": \"wait\", \"reason\": \"running\", \"retryAfter\": 1}")
                : TextHttpServer.Reply.json(
                    200, "{\"status\": \"go\", \"reason\": \"p99 120 ms within budget\"}"));
    services.answer("/ping", TextHttpServer.Reply.ok("text/plain", "ok"));
    services.answer(
        "/change",
        TextHttpServer.Reply.json(
            200, "{\"status\": \"no-go\", \"reason\": \"CHG-9 is not approved\"}"));
    services.answer("/told", TextHttpServer.Reply.ok("text/plain", "ok"));
  }

  @AfterAll
  static void stop() {
    services.close();
  }

  private String run(Api api, String plan, List<Map<String, Object>> hooks, String end) {
    Api.Response created =
        api.post("/api/v1/plans", aPlan(plan).withWeights(20, 100).with("hooks", hooks).build());
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String id =
        api.post("/api/v1/rollouts", Map.of("plan", plan, "canary", Map.of("version", "8.0")))
            .json()
            .path("id")
            .asString();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.get("/api/v1/rollouts/" + id).json().path("phase").asString().equals(end));
    return id;
  }

  private List<TextHttpServer.Recorded> calls(String path, String rollout) {
    return services.requests().stream()
        .filter(r -> r.path().equals(path) && r.body().contains(rollout))
        .toList();
  }

  @Test
  void aRaiseWaitsForTheLoadTestsGoAndPromotionTellsAfterwards() {
    Api api = new Api(port);
    String id =
        run(
            api,
            "hook-it",
            List.of(
                Map.of(
                    "name", "load-test",
                    "at", "beforeWeightIncrease",
                    "url", services.url("/load-test"),
                    "signingSecret", Map.of("file", keyFile.toString()),
                    "timeout", "1m"),
                Map.of("name", "smoke", "at", "beforePromotion", "url", services.url("/ping")),
                Map.of("name", "purge", "at", "afterPromotion", "url", services.url("/told"))),
            "SUCCEEDED");
    List<TextHttpServer.Recorded> load = calls("/load-test", id);
    assertThat(load).hasSize(2);
    assertThat(load.get(0).header("Idempotency-Key"))
        .isEqualTo("aviary-hook-" + id + "-load-test-beforeWeightIncrease:0:20")
        .isEqualTo(load.get(1).header("Idempotency-Key"));
    for (TextHttpServer.Recorded call : load) {
      assertThat(call.header("X-Aviary-Signature"))
          .isEqualTo("sha256=" + WebhookSender.hmac(KEY, call.body()));
    }
    JsonNode asked = json.readTree(load.get(1).body());
    assertThat(asked.path("nextWeight").asInt()).isEqualTo(20);
    assertThat(asked.path("attempt").asInt()).isEqualTo(1);
    assertThat(asked.path("canary").path("version").asString()).isEqualTo("8.0");
    assertThat(calls("/ping", id)).hasSize(1);
    assertThat(json.readTree(calls("/ping", id).get(0).body()).path("at").asString())
        .isEqualTo("beforePromotion");
    String events = api.get("/api/v1/rollouts/" + id + "/events").text();
    assertThat(events)
        .contains("hook load-test: waiting for its go (beforeWeightIncrease)")
        .contains(
            "hook load-test: said go: p99 120 ms within budget (beforeWeightIncrease, to 20%)")
        .contains("hook smoke: said go (beforePromotion, to 100%)");
    await().atMost(Duration.ofSeconds(30)).until(() -> !calls("/told", id).isEmpty());
    assertThat(json.readTree(calls("/told", id).get(0).body()).path("event").asString())
        .isEqualTo("rollout.promoted");
  }

  @Test
  void aNoGoBeforePromotionRollsBackAndTheRollbackHookIsTold() {
    Api api = new Api(port);
    String id =
        run(
            api,
            "hook-nogo-it",
            List.of(
                Map.of("name", "change", "at", "beforePromotion", "url", services.url("/change")),
                Map.of("name", "page", "at", "onRollback", "url", services.url("/told"))),
            "ROLLED_BACK");
    JsonNode rollout = api.get("/api/v1/rollouts/" + id).json();
    assertThat(rollout.path("rollbackCause").asString()).isEqualTo("HOOK_FAILED");
    assertThat(rollout.path("reason").asString())
        .contains("hook change failed: said no-go: CHG-9 is not approved");
    await().atMost(Duration.ofSeconds(30)).until(() -> !calls("/told", id).isEmpty());
    assertThat(json.readTree(calls("/told", id).get(0).body()).path("event").asString())
        .isEqualTo("rollout.rollingBack");
  }
}
