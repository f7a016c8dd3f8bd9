package dev.aviary.controller.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aviary.client.ApiClient;
import dev.aviary.client.ApiException;
import dev.aviary.client.api.AuditApi;
import dev.aviary.client.api.JudgementsApi;
import dev.aviary.client.api.PlansApi;
import dev.aviary.client.api.RolloutsApi;
import dev.aviary.client.api.SettingsApi;
import dev.aviary.client.api.TokensApi;
import dev.aviary.client.model.IssueTokenRequest;
import dev.aviary.client.model.JudgementDocument;
import dev.aviary.client.model.JudgementMetric;
import dev.aviary.client.model.JudgementRequestDocument;
import dev.aviary.client.model.MetricQuery;
import dev.aviary.client.model.MetricThreshold;
import dev.aviary.client.model.PlanAnalysis;
import dev.aviary.client.model.PlanDocument;
import dev.aviary.client.model.PlanMetric;
import dev.aviary.client.model.PlanPause;
import dev.aviary.client.model.PlanResponse;
import dev.aviary.client.model.PlanStep;
import dev.aviary.client.model.Problem;
import dev.aviary.client.model.RolloutEventResponse;
import dev.aviary.client.model.RolloutResponse;
import dev.aviary.client.model.StartRolloutRequest;
import dev.aviary.client.model.TokenResponse;
import dev.aviary.controller.support.AviaryIntegrationTest;
import dev.aviary.controller.support.MetricEndpoint;
import dev.aviary.testing.TestTokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The OpenAPI contract, kept: a client generated from docs/openapi.json by openapi-generator (the
 * {@code api-client} module, exactly as a client author would generate one) drives the running
 * controller through every endpoint. The client's JSON mapper fails on any field the document does
 * not declare, so an answer that drifts from its schema fails here, as does a request the document
 * describes that the controller refuses.
 */
@AviaryIntegrationTest
class OpenApiClientIT {

  private static final MetricEndpoint METRICS = new MetricEndpoint();

  @LocalServerPort int port;

  private ApiClient client;

  @BeforeEach
  void client() {
    ObjectMapper strict =
        new ObjectMapper()
            .findAndRegisterModules()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(
                com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS,
                false);
    client = new ApiClient();
    client.updateBaseUri("http://127.0.0.1:" + port);
    client.setObjectMapper(strict);
    client.setRequestInterceptor(r -> r.header("Authorization", "Bearer " + TestTokens.ADMIN));
  }

  @AfterAll
  static void stop() {
    METRICS.close();
  }

  private static PlanStep weight(int w) {
    return new PlanStep().setWeight(w);
  }

  private PlanDocument plan(String name) {
    METRICS.set("errors-" + name, "2.0", 0.001);
    return new PlanDocument()
        .name(name)
        .description("driven by the generated client")
        .labels(Map.of("team", "contract"))
        .router(Map.of("type", "dry-run"))
        .steps(List.of(weight(20), new PlanStep().pause(new PlanPause())))
        .analysis(
            new PlanAnalysis()
                .interval("1s")
                .metrics(
                    List.of(
                        new PlanMetric()
                            .name("error-rate")
                            .provider(Map.of("type", "web", "jsonPath", "$.value"))
                            .query(new MetricQuery().canary(METRICS.urlTemplate("errors-" + name)))
                            .threshold(new MetricThreshold().max(0.01)))));
  }

  @Test
  void plansRolloutsAndTheirTrailsAreDrivenByTheGeneratedClient() throws Exception {
    PlansApi plans = new PlansApi(client);
    RolloutsApi rollouts = new RolloutsApi(client);
    String name = "contract-" + UUID.randomUUID().toString().substring(0, 8);

    PlanResponse created = plans.createPlan(plan(name));
    assertThat(created.getName()).isEqualTo(name);
    assertThat(created.getRevision()).isEqualTo(1);
    assertThat(created.getAnalysis().getJudge()).containsEntry("type", "mann-whitney");
    assertThat(created.getSteps()).extracting(PlanStep::getSetWeight).containsExactly(20, null);

    PlanDocument changed = plan(name).description("changed");
    PlanResponse replaced = plans.replacePlan(name, changed, "\"1\"");
    assertThat(replaced.getRevision()).isEqualTo(2);
    assertThat(plans.getPlan(name).getDescription()).isEqualTo("changed");
    assertThat(plans.listPlans(name, List.of("team=contract"), 0, 20).getItems())
        .extracting(PlanResponse::getName)
        .containsExactly(name);
    assertThat(plans.listPlanRevisions(name).getItems()).hasSize(2);
    assertThat(plans.getPlanRevision(name, 1).getPlan().getDescription())
        .isEqualTo("driven by the generated client");

    assertThat(rollouts.nextSlot(name).getSlot()).isEqualTo("canary");
    RolloutResponse started =
        rollouts.startRollout(
            new StartRolloutRequest()
                .plan(name)
                .canary(Map.of("version", "2.0"))
                .baseline(Map.of("version", "1.9"))
                .metadata(Map.of("commit", "9f1c2e7")),
            "contract-" + name);
    assertThat(started.getPlan()).isEqualTo(name);
    UUID id = started.getId();
    try {
      await("the rollout reaches its pause step")
          .atMost(Duration.ofSeconds(60))
          .until(() -> rollouts.getRollout(id, null, null).getPhase().getValue().equals("PAUSED"));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          rollouts.getRollout(id, null, null) + "\n" + rollouts.listRolloutEvents(id, 0L, 500), e);
    }
    RolloutResponse paused = rollouts.getRollout(id, null, null);
    assertThat(paused.getCanaryWeight()).isEqualTo(20);
    assertThat(paused.getStep().getKind()).isEqualTo("pause");
    assertThat(rollouts.listRollouts(name, "paused", null, null, 0, 10).getItems())
        .extracting(RolloutResponse::getId)
        .containsExactly(id);
    assertThat(rollouts.listRolloutEvents(id, 0L, 500).getItems())
        .extracting(e -> e.getType().getValue())
        .contains("CREATED", "TRANSITION", "STEP", "WEIGHT", "ANALYSIS");
    assertThat(rollouts.listRolloutAnalyses(id, 0L, 100).getItems())
        .isNotEmpty()
        .allSatisfy(
            a -> {
              assertThat(a.getOutcome().getValue()).isEqualTo("SUCCESS");
              assertThat(a.getMetrics()).extracting("name").containsExactly("error-rate");
              assertThat(a.getValues()).extracting("metric").containsExactly("error-rate");
            });

    assertThatThrownBy(() -> rollouts.pauseRollout(id))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(problem(e).getDetail()).contains("PAUSED");
            });
    RolloutResponse aborted = rollouts.abortRollout(id);
    assertThat(aborted.getAbortRequested()).isTrue();
    RolloutResponse done = rollouts.getRollout(id, "terminal", "60s");
    assertThat(done.getPhase().getValue()).isEqualTo("ABORTED");
    assertThat(done.getSlot()).isEqualTo("canary");
    RolloutResponse again = rollouts.retryRollout(id);
    assertThat(again.getPhase().getValue()).isEqualTo("PENDING");
    rollouts.abortRollout(id);
    rollouts.getRollout(id, "terminal", "60s");

    List<RolloutEventResponse> trail = rollouts.listRolloutEvents(id, 0L, 500).getItems();
    assertThat(trail).extracting(RolloutEventResponse::getActor).contains("scheduler");
    plans.deletePlan(name, null);
    assertThatThrownBy(() -> plans.getPlan(name))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(404);
              Problem problem = problem(e);
              assertThat(problem.getType()).isEqualTo("https://aviary.dev/problems/not-found");
              assertThat(problem.getStatus()).isEqualTo(404);
            });
  }

  @Test
  void anInvalidPlanIsAProblemNamingEveryBadField() throws Exception {
    PlanDocument bad =
        new PlanDocument()
            .name("Not A Label")
            .router(Map.of("type", "no-such-router"))
            .steps(List.of(weight(150)));
    assertThatThrownBy(() -> new PlansApi(client).createPlan(bad))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(400);
              assertThat(problem(e).getErrors())
                  .extracting("field")
                  .contains("name", "router.type", "steps[0].setWeight");
            });
  }

  @Test
  void judgementsTokensAndSettingsKeepTheirSchemas() throws Exception {
    JudgementDocument judged =
        new JudgementsApi(client)
            .judge(
                new JudgementRequestDocument()
                    .metrics(
                        List.of(
                            new JudgementMetric()
                                .name("latency")
                                .direction(JudgementMetric.DirectionEnum.INCREASE)
                                .canary(List.of(212.0, 230.0, 218.0, 241.0, 226.0, 233.0))
                                .baseline(List.of(120.0, 118.0, 125.0, 121.0, 119.0, 122.0)))));
    assertThat(judged.getVerdict()).isEqualTo("FAIL");
    assertThat(judged.getMetrics().get(0).getClassification()).isEqualTo("HIGH");
    assertThat(judged.getMetrics().get(0).getConfidenceInterval()).hasSize(2);

    TokensApi tokens = new TokensApi(client);
    String name = "contract-" + UUID.randomUUID().toString().substring(0, 8);
    TokenResponse issued =
        tokens.issueToken(
            new IssueTokenRequest()
                .name(name)
                .role(IssueTokenRequest.RoleEnum.PIPELINE)
                .expiresIn("1d")
                .plans(List.of("checkout")));
    assertThat(issued.getToken()).startsWith("avy_");
    assertThat(tokens.getToken(name).getToken()).isNull();
    assertThat(tokens.listTokens(false).getItems())
        .extracting(TokenResponse::getName)
        .contains(name);
    assertThat(tokens.revokeToken(name).getState().getValue()).isEqualTo("revoked");
    assertThat(tokens.whoAmI().getActor()).isEqualTo("token:bootstrap-admin");
    assertThat(new AuditApi(client).listAudit(null, 0L, 1000).getItems())
        .extracting("target")
        .contains("token:" + name);
    assertThat(new SettingsApi(client).getSettings().getMetricsEndpoint().getValue())
        .isIn("public", "authenticated");
  }

  private Problem problem(ApiException e) {
    try {
      return client.getObjectMapper().readValue(e.getResponseBody(), Problem.class);
    } catch (java.io.IOException io) {
      throw new AssertionError("not a problem document: " + e.getResponseBody(), io);
    }
  }
}
