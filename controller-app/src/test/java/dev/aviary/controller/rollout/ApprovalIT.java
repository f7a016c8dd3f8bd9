package dev.aviary.controller.rollout;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Approval steps through the API: who may answer, what an answer does, what is recorded. */
@AviaryIntegrationTest
class ApprovalIT {

  @LocalServerPort int port;
  Api admin;

  @BeforeEach
  void client() {
    admin = new Api(port);
  }

  private Api caller(String name, String role) {
    Api.Response r = admin.post("/api/v1/tokens", Map.of("name", name, "role", role));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return admin.withToken(r.json().path("token").asString());
  }

  /** 20 %, an approval, 100 %: on the dry-run router. */
  private void plan(String name, Map<String, Object> approval) {
    Map<String, Object> doc =
        aPlan(name).withWeights(20).withStep(Map.of("approval", approval)).withWeights(100).build();
    Api.Response r = admin.post("/api/v1/plans", doc);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
  }

  private static String start(Api as, String plan) {
    Api.Response r =
        as.post("/api/v1/rollouts", Map.of("plan", plan, "canary", Map.of("version", "2.0")));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().path("id").asString();
  }

  private JsonNode awaitApprovalNeeded(String id) {
    await(id + " waiting for approval")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> admin.get("/api/v1/rollouts/" + id).json().path("approval").isObject());
    return admin.get("/api/v1/rollouts/" + id).json();
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
  void anApprovalWaitsForACallerTheStepAllowsAndRecordsWhoApprovedAndWhy() {
    Api starter = caller("appr-starter", "operator");
    Api viewer = caller("appr-viewer", "viewer");
    Api approver = caller("appr-approver", "operator");
    plan(
        "approved-release",
        Map.of("roles", List.of("operator"), "timeout", "1h", "excludeStarter", true));
    String id = start(starter, "approved-release");

    JsonNode waiting = awaitApprovalNeeded(id);
    assertThat(waiting.path("phase").asString()).isEqualTo("PROGRESSING");
    assertThat(waiting.path("canaryWeight").asInt()).isEqualTo(20);
    JsonNode approval = waiting.path("approval");
    assertThat(approval.path("who").asString())
        .isEqualTo("any operator, not the caller who started the rollout");
    assertThat(approval.path("onTimeout").asString()).isEqualTo("pause");
    assertThat(
            Duration.between(
                java.time.Instant.parse(approval.path("waitingSince").asString()),
                java.time.Instant.parse(approval.path("deadline").asString())))
        .isEqualTo(Duration.ofHours(1));

    Api.Response own = starter.post("/api/v1/rollouts/" + id + "/approve", Map.of());
    assertThat(own.status()).as(own.text()).isEqualTo(403);
    assertThat(own.json().path("detail").asString())
        .isEqualTo(
            "cannot approve step 2: token:appr-starter started this rollout, and the step asks"
                + " for someone else's approval");
    Api.Response looker = viewer.post("/api/v1/rollouts/" + id + "/approve", null);
    assertThat(looker.status()).as("a viewer steers no rollout").isEqualTo(403);
    Api.Response skip = starter.post("/api/v1/rollouts/" + id + "/promote", null);
    assertThat(skip.status()).as("promoting past an approval answers it").isEqualTo(403);
    assertThat(skip.json().path("detail").asString())
        .startsWith("promoting skips step 2 (approval by any operator");
    Api.Response noReason = approver.post("/api/v1/rollouts/" + id + "/reject", Map.of());
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.errorFields()).containsExactly("reason");
    Api.Response unknown =
        approver.post("/api/v1/rollouts/" + id + "/approve", Map.of("reasons", "typo"));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.errorFields()).containsExactly("reasons");
    assertThat(admin.get("/api/v1/rollouts/" + id).json().path("canaryWeight").asInt())
        .as("no refused answer moved it")
        .isEqualTo(20);

    Api.Response approved =
        approver.post("/api/v1/rollouts/" + id + "/approve", Map.of("reason", "CHG-1042 green"));
    assertThat(approved.status()).as(approved.text()).isEqualTo(200);
    JsonNode done = awaitPhase(id, "SUCCEEDED");
    assertThat(done.path("canaryWeight").asInt()).isEqualTo(100);
    assertThat(done.has("approval")).isFalse();

    List<String> answers = new ArrayList<>();
    for (JsonNode e : admin.get("/api/v1/rollouts/" + id + "/events").json().path("items")) {
      if (e.path("type").asString().equals("APPROVAL")) {
        answers.add(e.path("actor").asString() + ": " + e.path("reason").asString());
      }
    }
    assertThat(answers).hasSize(2);
    assertThat(answers.get(0))
        .startsWith(
            "scheduler: step 2 needs approval by any operator, not the caller who started the"
                + " rollout, until ");
    assertThat(answers.get(1))
        .isEqualTo("token:appr-approver: step 2 approved by token:appr-approver: CHG-1042 green");
    JsonNode audit =
        admin.get("/api/v1/audit?actor=token:appr-approver").json().path("items").path(0);
    assertThat(audit.path("action").asString()).isEqualTo("rollout.approved");
    assertThat(audit.path("target").asString()).isEqualTo("rollout:" + id);
    assertThat(audit.path("detail").path("reason").asString()).isEqualTo("CHG-1042 green");
    assertThat(audit.path("detail").path("step").asInt()).isEqualTo(2);

    Api.Response late = approver.post("/api/v1/rollouts/" + id + "/approve", null);
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.json().path("detail").asString())
        .isEqualTo(
            "cannot approve rollout " + id + ": it is not waiting for an approval (SUCCEEDED)");
  }

  @Test
  void aRejectionRollsTheReleaseBackWithItsReason() {
    plan("rejected-release", Map.of("roles", List.of("admin")));
    String id = start(admin, "rejected-release");
    awaitApprovalNeeded(id);
    Api operator = caller("appr-operator", "operator");
    Api.Response notAdmin =
        operator.post("/api/v1/rollouts/" + id + "/reject", Map.of("reason", "mine to say"));
    assertThat(notAdmin.status()).as(notAdmin.text()).isEqualTo(403);
    assertThat(notAdmin.json().path("detail").asString())
        .isEqualTo(
            "cannot reject step 2: token:appr-operator holds operator, pipeline, viewer, and"
                + " answering needs admin");
    Api.Response rejected =
        admin.post(
            "/api/v1/rollouts/" + id + "/reject", Map.of("reason", "error budget spent this week"));
    assertThat(rejected.status()).as(rejected.text()).isEqualTo(200);
    JsonNode back = awaitPhase(id, "ROLLED_BACK");
    assertThat(back.path("rollbackCause").asString()).isEqualTo("REJECTED");
    assertThat(back.path("canaryWeight").asInt()).isZero();
    assertThat(back.path("reason").asString())
        .contains("step 2 rejected by token:bootstrap-admin: error budget spent this week");
    assertThat(admin.get("/api/v1/audit?actor=token:bootstrap-admin").json().toString())
        .contains("rollout.rejected")
        .contains("error budget spent this week");
  }
}
