package dev.aviary.controller.rollout;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import dev.aviary.testing.ChatContractServer;
import dev.aviary.testing.TextHttpServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one-time links "approval needed" notifications carry: followed once by a caller with the
 * step's rights they answer it; used, expired, stale, mistyped links and callers without the rights
 * are refused, and a refused answer leaves the link as it was.
 */
@AviaryIntegrationTest
class ApprovalLinkIT {

  static final String PUBLIC = "https://aviary.example.test/approvals/";
  static TextHttpServer receiver;
  static ChatContractServer slack;

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  Api admin;
  final JsonMapper json = JsonMapper.builder().build();

  @BeforeAll
  static void receive() {
    receiver = new TextHttpServer();
    receiver.answer("/hook", TextHttpServer.Reply.ok("text/plain", "ok"));
    slack = new ChatContractServer(ChatContractServer.Service.SLACK, "linkSlack");
  }

  @AfterAll
  static void stop() {
    receiver.close();
    slack.close();
  }

  @BeforeEach
  void client() {
    admin = new Api(port);
  }

  private Api caller(String name, String role) {
    Api.Response r = admin.post("/api/v1/tokens", Map.of("name", name, "role", role));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return admin.withToken(r.json().path("token").asString());
  }

  /** 20 %, an approval only admins may give, 100 %; the webhook and Slack hear approvalNeeded. */
  private void plan(String name) {
    Map<String, Object> doc =
        aPlan(name)
            .withWeights(20)
            .withStep(Map.of("approval", Map.of("roles", List.of("admin"), "timeout", "1h")))
            .withWeights(100)
            .with(
                "notifications",
                List.of(
                    Map.of("url", receiver.url("/hook"), "on", List.of("approvalNeeded")),
                    Map.of(
                        "type",
                        "slack",
                        "url",
                        slack.webhookUrl(),
                        "on",
                        List.of("approvalNeeded"))))
            .build();
    Api.Response r = admin.post("/api/v1/plans", doc);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
  }

  private String start(String plan) {
    Api.Response r =
        admin.post("/api/v1/rollouts", Map.of("plan", plan, "canary", Map.of("version", "5.0")));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().path("id").asString();
  }

  /** The token of the link the webhook received for {@code rollout}. */
  private String token(String rollout) {
    String[] link = new String[1];
    await(rollout + "'s approval link")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Optional<JsonNode> event =
                  receiver.requests().stream()
                      .map(r -> json.readTree(r.body()))
                      .filter(e -> e.path("rollout").asString().equals(rollout))
                      .findFirst();
              event.ifPresent(e -> link[0] = e.path("approvalLink").asString());
              return event.isPresent();
            });
    assertThat(link[0]).startsWith(PUBLIC);
    return link[0].substring(PUBLIC.length());
  }

  private JsonNode awaitPhase(String id, String phase) {
    await(id + " " + phase)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                admin.get("/api/v1/rollouts/" + id).json().path("phase").asString().equals(phase));
    return admin.get("/api/v1/rollouts/" + id).json();
  }

  @Test
  void aLinkAnswersOnceForACallerWithTheStepsRights() {
    Api operator = caller("link-operator", "operator");
    Api viewer = caller("link-viewer", "viewer");
    plan("linked-release");
    String id = start("linked-release");
    String token = token(id);

    JsonNode link = viewer.get("/api/v1/approval-links/" + token).json();
    assertThat(link.path("state").asString()).isEqualTo("open");
    assertThat(link.path("step").asInt()).isEqualTo(2);
    assertThat(link.path("rollout").path("id").asString()).isEqualTo(id);
    assertThat(link.path("rollout").path("approval").path("who").asString()).contains("admin");
    assertThat(link.path("expiresAt").asString())
        .isEqualTo(link.path("rollout").path("approval").path("deadline").asString());
    // Slack's message carries the same link as its first button
    await().atMost(Duration.ofSeconds(30)).until(() -> !slack.accepted().isEmpty());
    JsonNode buttons =
        slack.accepted().stream()
            .filter(m -> m.toString().contains(token))
            .findFirst()
            .orElseThrow()
            .path("blocks")
            .get(3)
            .path("elements");
    assertThat(buttons.get(0).path("url").asString()).isEqualTo(PUBLIC + token);

    Api.Response looker = viewer.post("/api/v1/approval-links/" + token + "/approve", null);
    assertThat(looker.status()).as("a viewer steers no rollout").isEqualTo(403);
    Api.Response wrongRole = operator.post("/api/v1/approval-links/" + token + "/approve", null);
    assertThat(wrongRole.status()).as(wrongRole.text()).isEqualTo(403);
    assertThat(wrongRole.json().path("detail").asString()).contains("admin");
    Api.Response noReason = admin.post("/api/v1/approval-links/" + token + "/reject", Map.of());
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.errorFields()).containsExactly("reason");
    assertThat(viewer.get("/api/v1/approval-links/" + token).json().path("state").asString())
        .as("refused answers leave the link as it was")
        .isEqualTo("open");

    Api.Response approved =
        admin.post(
            "/api/v1/approval-links/" + token + "/approve", Map.of("reason", "CAB-12 agreed"));
    assertThat(approved.status()).as(approved.text()).isEqualTo(200);
    awaitPhase(id, "SUCCEEDED");
    assertThat(admin.get("/api/v1/rollouts/" + id + "/events").text())
        .contains("step 2 approved by token:bootstrap-admin: CAB-12 agreed");

    Api.Response again = admin.post("/api/v1/approval-links/" + token + "/approve", null);
    assertThat(again.status()).as(again.text()).isEqualTo(410);
    assertThat(again.json().path("detail").asString())
        .contains("was used by token:bootstrap-admin", "approved", "a link answers once");
    JsonNode used = viewer.get("/api/v1/approval-links/" + token).json();
    assertThat(used.path("state").asString()).isEqualTo("used");
    assertThat(used.path("usedBy").asString()).isEqualTo("token:bootstrap-admin");
    assertThat(used.path("answer").asString()).isEqualTo("approved");
  }

  @Test
  void expiredStaleAndMistypedLinksAnswerNothing() {
    plan("link-expiry");
    String expiring = start("link-expiry");
    String expired = token(expiring);
    // the step's deadline passes (the link's expiry is stored with it)
    jdbc.sql(
            "UPDATE approval_link SET expires_at = now() - interval '1 minute' WHERE rollout_id ="
                + " CAST(:id AS uuid)")
        .param("id", expiring)
        .update();
    assertThat(admin.get("/api/v1/approval-links/" + expired).json().path("state").asString())
        .isEqualTo("expired");
    Api.Response late = admin.post("/api/v1/approval-links/" + expired + "/approve", null);
    assertThat(late.status()).as(late.text()).isEqualTo(410);
    assertThat(late.json().path("detail").asString()).contains("expired");
    assertThat(admin.get("/api/v1/rollouts/" + expiring).json().path("approval").isObject())
        .as("still waiting: an expired link answered nothing")
        .isTrue();

    // answered through the API: the link's step is no longer waited on
    assertThat(admin.post("/api/v1/rollouts/" + expiring + "/abort", null).status()).isEqualTo(200);
    awaitPhase(expiring, "ABORTED");
    plan("link-stale");
    String moved = start("link-stale");
    String stale = token(moved);
    assertThat(admin.post("/api/v1/rollouts/" + moved + "/approve", Map.of()).status())
        .isEqualTo(200);
    assertThat(admin.get("/api/v1/approval-links/" + stale).json().path("state").asString())
        .isEqualTo("stale");
    Api.Response conflict = admin.post("/api/v1/approval-links/" + stale + "/approve", null);
    assertThat(conflict.status()).as(conflict.text()).isEqualTo(409);

    Api.Response mistyped = admin.get("/api/v1/approval-links/" + "A".repeat(43));
    assertThat(mistyped.status()).isEqualTo(404);
    assertThat(admin.get("/api/v1/approval-links/not-a-token").status()).isEqualTo(404);
  }
}
