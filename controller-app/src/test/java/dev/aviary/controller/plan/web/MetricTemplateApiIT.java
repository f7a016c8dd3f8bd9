package dev.aviary.controller.plan.web;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import dev.aviary.controller.support.MetricEndpoint;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Metric templates of one's own over HTTP, stored in PostgreSQL: written once, named by plans with
 * their parameters, versioned, and read by each rollout at the revision it started with.
 */
@AviaryIntegrationTest
class MetricTemplateApiIT {

  static final MetricEndpoint METRICS = new MetricEndpoint();

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  Api api;

  @BeforeEach
  void client() {
    api = new Api(port);
  }

  @AfterAll
  static void stopMetrics() {
    METRICS.close();
  }

  /** A web-metric template reading {@code /<path>/<metric>/<version>} from the test endpoint. */
  static Map<String, Object> template(String name, String path, String parameter) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("name", name);
    t.put("description", "the share of failed checkouts");
    t.put("parameters", List.of(Map.of("name", parameter, "description", "which metric")));
    t.put("provider", Map.of("type", "web", "jsonPath", "$.value", "timeout", "2s"));
    t.put("query", METRICS.server().url("/" + path + "/${" + parameter + "}/${version}"));
    return t;
  }

  /** Steps 50 % (judged), a pause that holds the rollout, then 100 %. */
  static Map<String, Object> planUsing(String plan, String template, Map<String, Object> extra) {
    Map<String, Object> metric = new LinkedHashMap<>();
    metric.put("name", "failures");
    metric.put("template", template);
    metric.put("variables", Map.of("metric", plan));
    metric.put("threshold", Map.of("max", 0.5));
    metric.putAll(extra);
    return aPlan(plan)
        .withStep(Map.of("setWeight", 50))
        .withStep(Map.of("pause", Map.of("duration", "3s")))
        .withStep(Map.of("setWeight", 100))
        .withMetric(metric)
        .withAnalysis("interval", "1s")
        .build();
  }

  private String start(String plan) {
    Api.Response started =
        api.post("/api/v1/rollouts", Map.of("plan", plan, "canary", Map.of("version", "2.0")));
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

  /** Every query the rollout's analyses sent. */
  private List<String> queriesOf(String id) {
    return api.get("/api/v1/rollouts/" + id + "/analyses")
        .json()
        .path("items")
        .valueStream()
        .flatMap(a -> a.path("values").valueStream())
        .flatMap(m -> m.path("queries").valueStream())
        .map(JsonNode::asString)
        .toList();
  }

  @Test
  void aTemplateIsStoredVersionedNamedByPlansAndEachRolloutReadsTheRevisionItStartedWith() {
    Api.Response created =
        api.post("/api/v1/metric-templates", template("checkout-failures", "m", "metric"));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/api/v1/metric-templates/checkout-failures");
    assertThat(created.header("ETag")).isEqualTo("\"1\"");
    JsonNode read = api.get("/api/v1/metric-templates/checkout-failures").json();
    assertThat(read.path("query").path("canary").asString()).endsWith("/m/${metric}/${version}");
    assertThat(read.path("parameters").get(0).path("name").asString()).isEqualTo("metric");
    assertThat(read.path("usedBy").size()).isZero();

    // Good on revision 1's path, bad on revision 2's: which revision a rollout read shows.
    for (String plan : List.of("tpl-follows", "tpl-pinned", "tpl-held")) {
      METRICS.set(plan, "2.0", 0.1);
    }
    Api.Response follows =
        api.post("/api/v1/plans", planUsing("tpl-follows", "checkout-failures", Map.of()));
    assertThat(follows.status()).as(follows.text()).isEqualTo(201);
    JsonNode written = follows.json().path("analysis").path("metrics").get(0);
    assertThat(written.path("template").asString()).isEqualTo("checkout-failures");
    assertThat(written.path("variables").path("metric").asString()).isEqualTo("tpl-follows");
    assertThat(written.has("query")).as("written back by name: %s", written).isFalse();
    assertThat(written.has("provider")).as("the template's provider: %s", written).isFalse();
    assertThat(written.has("templateRevision")).isFalse();
    assertThat(
            api.post(
                    "/api/v1/plans",
                    planUsing("tpl-pinned", "checkout-failures", Map.of("templateRevision", 1)))
                .status())
        .isEqualTo(201);
    assertThat(
            api.post("/api/v1/plans", planUsing("tpl-held", "checkout-failures", Map.of()))
                .status())
        .isEqualTo(201);
    assertThat(api.get("/api/v1/metric-templates/checkout-failures").json().path("usedBy"))
        .extracting(JsonNode::asString)
        .containsExactly("tpl-follows", "tpl-held", "tpl-pinned");

    String held = start("tpl-held"); // starts on revision 1, then waits in its pause
    await("tpl-held in its pause")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.get("/api/v1/rollouts/" + held)
                    .json()
                    .path("phase")
                    .asString()
                    .equals("PAUSED"));

    Api.Response changed =
        api.put(
            "/api/v1/metric-templates/checkout-failures",
            template("checkout-failures", "m2", "metric"),
            Map.of("If-Match", "\"1\""));
    assertThat(changed.status()).as(changed.text()).isEqualTo(200);
    assertThat(changed.header("ETag")).isEqualTo("\"2\"");
    setOnSecondPath("tpl-follows", 0.9);
    setOnSecondPath("tpl-held", 0.9);
    setOnSecondPath("tpl-pinned", 0.9);

    // What a controller restarted now would read: the rollout's own copy of its plan, pinned.
    String kept =
        jdbc.queryForObject(
            "SELECT plan_spec::text FROM rollout WHERE id = CAST(? AS uuid)", String.class, held);
    assertThat(kept).contains("\"template\": \"checkout-failures\"", "\"templateRevision\": 1");
    JsonNode heldDone = awaitPhase(held, "SUCCEEDED", "ROLLED_BACK", "FAILED");
    assertThat(heldDone.path("phase").asString())
        .as(heldDone.path("reason").asString())
        .isEqualTo("SUCCEEDED");
    assertThat(queriesOf(held)).isNotEmpty().allMatch(q -> q.contains("/m/tpl-held/2.0"));

    String pinned = start("tpl-pinned");
    JsonNode pinnedDone = awaitPhase(pinned, "SUCCEEDED", "ROLLED_BACK", "FAILED");
    assertThat(pinnedDone.path("phase").asString())
        .as(pinnedDone.path("reason").asString())
        .isEqualTo("SUCCEEDED");
    assertThat(queriesOf(pinned)).isNotEmpty().allMatch(q -> q.contains("/m/tpl-pinned/2.0"));

    String following = start("tpl-follows");
    JsonNode followingDone = awaitPhase(following, "ROLLED_BACK", "SUCCEEDED", "FAILED");
    assertThat(followingDone.path("phase").asString()).isEqualTo("ROLLED_BACK");
    assertThat(followingDone.path("reason").asString()).contains("failures HIGH");
    assertThat(queriesOf(following)).isNotEmpty().allMatch(q -> q.contains("/m2/tpl-follows/2.0"));

    JsonNode history =
        api.get("/api/v1/metric-templates/checkout-failures/revisions").json().path("items");
    assertThat(history.valueStream().map(r -> r.path("change").asString()).toList())
        .containsExactly("UPDATED", "CREATED");
    assertThat(
            api.get("/api/v1/metric-templates/checkout-failures/revisions/1")
                .json()
                .path("template")
                .path("query")
                .path("canary")
                .asString())
        .endsWith("/m/${metric}/${version}");
  }

  private static void setOnSecondPath(String metric, double value) {
    METRICS
        .server()
        .answer(
            "/m2/" + metric + "/2.0",
            dev.aviary.testing.TextHttpServer.Reply.ok(
                "application/json", "{\"value\": " + value + "}"));
  }

  @Test
  void aChangeThatWouldBreakAPlanAndADeletionWhileUsedAreRefusedWithNothingChanged() {
    assertThat(api.post("/api/v1/metric-templates", template("guarded", "m", "metric")).status())
        .isEqualTo(201);
    assertThat(api.post("/api/v1/plans", planUsing("guarded-user", "guarded", Map.of())).status())
        .isEqualTo(201);

    // The plan gives `metric`; a template that asks for `service` instead would leave it invalid.
    Api.Response breaking =
        api.put("/api/v1/metric-templates/guarded", template("guarded", "m", "service"), Map.of());
    assertThat(breaking.status()).as(breaking.text()).isEqualTo(409);
    assertThat(breaking.json().path("detail").asString())
        .contains("plan 'guarded-user'")
        .contains("variables.metric")
        .contains("must give 'service'");
    JsonNode unchanged = api.get("/api/v1/metric-templates/guarded").json();
    assertThat(unchanged.path("revision").asInt()).isEqualTo(1);
    assertThat(unchanged.path("parameters").get(0).path("name").asString()).isEqualTo("metric");
    assertThat(api.get("/api/v1/metric-templates/guarded/revisions").json().path("items").size())
        .isEqualTo(1);

    Api.Response deleting = api.delete("/api/v1/metric-templates/guarded", Map.of());
    assertThat(deleting.status()).isEqualTo(409);
    assertThat(deleting.json().path("detail").asString()).contains("guarded-user");
    assertThat(api.get("/api/v1/metric-templates/guarded").status()).isEqualTo(200);

    assertThat(api.delete("/api/v1/plans/guarded-user", Map.of()).status()).isEqualTo(204);
    assertThat(api.delete("/api/v1/metric-templates/guarded", Map.of()).status()).isEqualTo(204);
    assertThat(api.get("/api/v1/metric-templates/guarded").status()).isEqualTo(404);
    assertThat(
            api.get("/api/v1/metric-templates/guarded/revisions")
                .json()
                .path("items")
                .valueStream()
                .map(r -> r.path("change").asString())
                .toList())
        .containsExactly("DELETED", "CREATED");
  }

  @Test
  void badTemplatesAndBadUsesOfThemAreNamedFieldByFieldAndWriteNothing() {
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("name", "http-error-rate");
    bad.put("parameters", List.of(Map.of("name", "version"), Map.of("name", "unused")));
    bad.put(
        "provider",
        Map.of(
            "type",
            "prometheus",
            "address",
            "http://127.0.0.1:9090",
            "auth",
            Map.of("bearer", Map.of("plaintext", "s3cret"))));
    bad.put("counts", Map.of("bad", "x", "total", "y"));
    bad.put("histogram", "h");
    bad.put("colour", "red");
    Api.Response refused = api.post("/api/v1/metric-templates", bad);
    assertThat(refused.status()).as(refused.text()).isEqualTo(400);
    assertThat(refused.errorFields())
        .contains("name", "parameters[0].name", "provider.auth.bearer", "", "colour");
    assertThat(refused.text()).doesNotContain("s3cret");
    assertThat(api.get("/api/v1/metric-templates/http-error-rate").status()).isEqualTo(404);

    Map<String, Object> unused = template("unused-parameter", "m", "metric");
    unused.put(
        "parameters",
        List.of(Map.of("name", "metric", "default", "a"), Map.of("name", "other", "default", "b")));
    Api.Response unusedRefused = api.post("/api/v1/metric-templates", unused);
    assertThat(unusedRefused.status()).isEqualTo(400);
    assertThat(unusedRefused.errorFields()).containsExactly("parameters[1].name");

    assertThat(api.post("/api/v1/metric-templates", template("strict", "m", "metric")).status())
        .isEqualTo(201);
    Map<String, Object> misuse =
        planUsing(
            "tpl-misuse",
            "strict",
            Map.of("variables", Map.of("colour", "red"), "templateRevision", 7));
    Api.Response misused = api.post("/api/v1/plans", misuse);
    assertThat(misused.status()).as(misused.text()).isEqualTo(400);
    assertThat(misused.errorFields())
        .containsExactlyInAnyOrder("analysis.metrics[0].templateRevision");
    Map<String, Object> wrongVariables =
        planUsing("tpl-misuse", "strict", Map.of("variables", Map.of("colour", "red")));
    Api.Response wrong = api.post("/api/v1/plans", wrongVariables);
    assertThat(wrong.status()).as(wrong.text()).isEqualTo(400);
    assertThat(wrong.errorFields())
        .containsExactlyInAnyOrder(
            "analysis.metrics[0].variables.colour", "analysis.metrics[0].variables");
    Api.Response unknown =
        api.post("/api/v1/plans", planUsing("tpl-misuse", "no-such-template", Map.of()));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.errorFields())
        .contains("analysis.metrics[0].template", "analysis.metrics[0].variables");
    assertThat(api.get("/api/v1/plans/tpl-misuse").status()).isEqualTo(404);
  }
}
