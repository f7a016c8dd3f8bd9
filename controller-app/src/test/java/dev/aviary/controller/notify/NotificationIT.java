package dev.aviary.controller.notify;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.platform.webhook.WebhookSender;
import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import dev.aviary.testing.FreePorts;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Webhooks on transitions, delivered to a real HTTP receiver. */
@AviaryIntegrationTest
class NotificationIT {

  static TextHttpServer receiver;
  static final AtomicInteger FLAKY_CALLS = new AtomicInteger();
  static final String SIGNING_KEY = "hook-signing-key-77";
  static Path keyFile;

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  final JsonMapper json = JsonMapper.builder().build();

  @BeforeAll
  static void receive() throws Exception {
    // under the directory the test profile allows secret files in (aviary.secrets.file-roots)
    Path secrets =
        Files.createDirectories(
            Path.of(System.getProperty("java.io.tmpdir"), "aviary-test-secrets"));
    keyFile = Files.createTempFile(secrets, "hook-key", ".txt");
    Files.writeString(keyFile, SIGNING_KEY + "\n");
    receiver = new TextHttpServer();
    receiver.answer("/hook", TextHttpServer.Reply.ok("text/plain", "ok"));
    receiver.answer("/slack", TextHttpServer.Reply.ok("text/plain", "ok"));
    receiver.answer(
        "/flaky",
        r ->
            FLAKY_CALLS.incrementAndGet() <= 2
                ? new TextHttpServer.Reply(503, "text/plain", "busy")
                : TextHttpServer.Reply.ok("text/plain", "ok"));
  }

  @AfterAll
  static void stop() {
    receiver.close();
  }

  private String runToSuccess(String plan, List<Map<String, Object>> notifications) {
    Api api = new Api(port);
    assertThat(
            api.post(
                    "/api/v1/plans",
                    aPlan(plan).withWeights(100).with("notifications", notifications).build())
                .status())
        .isEqualTo(201);
    String id =
        api.post("/api/v1/rollouts", Map.of("plan", plan, "canary", Map.of("version", "7.0")))
            .json()
            .path("id")
            .asString();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.get("/api/v1/rollouts/" + id)
                    .json()
                    .path("phase")
                    .asString()
                    .equals("SUCCEEDED"));
    return id;
  }

  private List<TextHttpServer.Recorded> received(String path, String rollout) {
    return receiver.requests().stream()
        .filter(r -> r.path().equals(path) && r.body().contains(rollout))
        .toList();
  }

  @Test
  void everyTransitionIsPostedSignedWithTheRolloutsState() {
    String id =
        runToSuccess(
            "notified",
            List.of(
                Map.of(
                    "url",
                    receiver.url("/hook"),
                    "signingSecret",
                    Map.of("file", keyFile.toString()))));
    await().atMost(Duration.ofSeconds(15)).until(() -> received("/hook", id).size() == 2);
    List<TextHttpServer.Recorded> posts = received("/hook", id);
    JsonNode first = json.readTree(posts.get(0).body());
    JsonNode last = json.readTree(posts.get(1).body());
    assertThat(first.path("event").asString()).isEqualTo("rollout.started");
    assertThat(last.path("event").asString()).isEqualTo("rollout.promoted");
    assertThat(last.path("link").asString())
        .isEqualTo("https://aviary.example.test/rollouts/" + id);
    assertThat(first.path("plan").asString()).isEqualTo("notified");
    assertThat(first.path("previousPhase").asString()).isEqualTo("PENDING");
    assertThat(first.path("phase").asString()).isEqualTo("PROGRESSING");
    assertThat(last.path("phase").asString()).isEqualTo("SUCCEEDED");
    assertThat(last.path("weight").asInt()).isEqualTo(100);
    assertThat(last.path("canary").path("version").asString()).isEqualTo("7.0");
    assertThat(last.path("reason").asString()).startsWith("promoted");
    for (TextHttpServer.Recorded post : posts) {
      assertThat(post.header("X-Aviary-Signature"))
          .isEqualTo("sha256=" + WebhookSender.hmac(SIGNING_KEY, post.body()));
      assertThat(post.header("Idempotency-Key")).startsWith("aviary-event-");
      assertThat(post.body()).doesNotContain(SIGNING_KEY);
    }
  }

  @Test
  void aSlackReceiverGetsAMessage() {
    String id =
        runToSuccess("slacked", List.of(Map.of("url", receiver.url("/slack"), "format", "slack")));
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                receiver.requests().stream()
                        .filter(r -> r.path().equals("/slack") && r.body().contains("slacked"))
                        .count()
                    == 2);
    JsonNode message =
        json.readTree(
            receiver.requests().stream()
                .filter(r -> r.path().equals("/slack") && r.body().contains("promoted"))
                .findFirst()
                .orElseThrow()
                .body());
    assertThat(message.path("text").asString()).startsWith("slacked 7.0: promoted");
    JsonNode blocks = message.path("blocks");
    assertThat(blocks.get(0).path("type").asString()).isEqualTo("header");
    assertThat(blocks.get(0).path("text").path("text").asString())
        .endsWith("slacked 7.0: promoted: all traffic on the new version");
    assertThat(blocks.get(1).path("text").path("text").asString()).startsWith("promoted");
    assertThat(blocks.get(2).path("fields").get(0).path("text").asString())
        .isEqualTo("*Weight*\n100 %");
    assertThat(blocks.get(3).path("elements").get(0).path("url").asString())
        .isEqualTo("https://aviary.example.test/rollouts/" + id);
  }

  @Test
  void aFailingReceiverIsRetriedWithBackoffUntilItAccepts() {
    String id = runToSuccess("flaky-hook", List.of(Map.of("url", receiver.url("/flaky"))));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jdbc.sql(
                            "SELECT count(*) FROM notification_outbox WHERE rollout_id = CAST(:id AS uuid) AND delivered_at IS NOT NULL")
                        .param("id", id)
                        .query(Integer.class)
                        .single()
                    == 2);
    assertThat(FLAKY_CALLS.get()).isGreaterThanOrEqualTo(4);
    List<String> keys =
        receiver.requests().stream()
            .filter(r -> r.path().equals("/flaky"))
            .map(r -> r.header("Idempotency-Key"))
            .distinct()
            .toList();
    assertThat(keys).hasSize(2); // retries repeat the same delivery, not a new one
  }

  @Test
  void aDeadReceiverNeverHoldsUpTheRollout() {
    String dead = "http://127.0.0.1:" + FreePorts.next() + "/nobody";
    String id = runToSuccess("dead-hook", List.of(Map.of("url", dead)));
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                jdbc.sql(
                            "SELECT count(*) FROM notification_outbox WHERE rollout_id = CAST(:id AS uuid) AND attempts > 0 AND delivered_at IS NULL AND last_error LIKE 'cannot reach%'")
                        .param("id", id)
                        .query(Integer.class)
                        .single()
                    >= 1);
  }
}
