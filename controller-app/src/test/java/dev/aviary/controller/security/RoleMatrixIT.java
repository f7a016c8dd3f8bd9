package dev.aviary.controller.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import dev.aviary.testing.PrometheusServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every API endpoint × every kind of caller: allowed → 2xx, a role that may not → 403, no
 * credentials → 401, each refusal a problem document. The endpoints come from Spring MVC's own
 * mappings, so an endpoint added without a row here fails this test.
 */
@AviaryIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleMatrixIT {

  private static final Set<String> ALL = Set.of("viewer", "operator", "pipeline", "admin");
  private static final Set<String> READERS = Set.of("viewer", "operator", "admin");
  private static final Set<String> ROLLOUT_READERS = ALL;
  private static final Set<String> STARTERS = Set.of("pipeline", "operator", "admin");
  private static final Set<String> OPERATORS = Set.of("operator", "admin");
  private static final Set<String> ADMINS = Set.of("admin");

  @LocalServerPort int port;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  private Api admin;
  private SecurityFixtures fixtures;
  private long sharedNotification;
  private String sharedLink;
  private final Map<String, Api> callers = new LinkedHashMap<>();
  private String sharedPlan;
  private String sharedRollout;
  private String parallelRunPlan;
  private String parallelRunRollout;
  private String sharedToken;
  private String backtestPlan;
  private PrometheusServer prometheus;

  /** One request; built afresh for every allowed call, since most change something. */
  record Call(String path, Object body, Map<String, String> headers) {
    static Call of(String path) {
      return new Call(path, null, Map.of());
    }
  }

  /** An endpoint, who may call it, and how to make a call that succeeds when allowed. */
  record Row(String method, String pattern, Set<String> allowed, Supplier<Call> call) {}

  @BeforeAll
  void setUp() {
    admin = new Api(port);
    fixtures = new SecurityFixtures(admin, "matrix");
    sharedPlan = fixtures.plan(Map.of());
    sharedRollout = fixtures.finishedRollout();
    sharedToken = fixtures.uniqueName("shared-token");
    sharedNotification = fixtures.undeliveredNotification();
    sharedLink = fixtures.approvalLink();
    fixtures.token(sharedToken, "viewer", Map.of());
    callers.put("anonymous", admin.anonymous());
    for (String role : List.of("viewer", "operator", "pipeline")) {
      callers.put(role, admin.withToken(fixtures.token(fixtures.uniqueName(role), role, Map.of())));
    }
    callers.put("admin", admin);
    startParallelRun();
    // a plan whose analysis reads a real (empty) Prometheus: what a backtest replays
    prometheus = PrometheusServer.start(tempDir("aviary-matrix-prometheus"), List.of());
    backtestPlan = fixtures.uniqueName("backtest");
    Map<String, Object> provider = Map.of("type", "prometheus", "address", prometheus.url());
    assertThat(
            admin
                .post(
                    "/api/v1/plans",
                    dev.aviary.controller.support.PlanDocuments.aPlan(backtestPlan)
                        .withWeights(10, 100)
                        .withAnalysis("interval", "1m")
                        .withMetric(
                            Map.of(
                                "name",
                                "errors",
                                "provider",
                                provider,
                                "counts",
                                Map.of(
                                    "bad",
                                    "sum(increase(errors{version=\"${version}\"}[${window}]))",
                                    "total",
                                    "sum(increase(requests{version=\"${version}\"}[${window}]))")))
                        .build())
                .status())
        .isEqualTo(201);
  }

  /** A rollout held in a parallel-run step: what comparisons are reported for and read of. */
  private void startParallelRun() {
    parallelRunPlan = fixtures.uniqueName("parallel");
    Map<String, Object> step =
        Map.of("parallelRun", Map.of("duration", "1h", "minComparisons", 10, "maxDuration", "2h"));
    assertThat(
            admin
                .post(
                    "/api/v1/plans",
                    dev.aviary.controller.support.PlanDocuments.aPlan(parallelRunPlan)
                        .withStep(step)
                        .withWeights(100)
                        .build())
                .status())
        .isEqualTo(201);
    parallelRunRollout =
        admin
            .post(
                "/api/v1/rollouts",
                Map.of("plan", parallelRunPlan, "canary", Map.of("version", "2")))
            .json()
            .path("id")
            .asString();
  }

  @AfterAll
  void stopPrometheus() {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  private static java.nio.file.Path tempDir(String prefix) {
    try {
      return java.nio.file.Files.createTempDirectory(prefix);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A metric template of counts, stored under a fresh name; returns the name. */
  private String template() {
    String name = fixtures.uniqueName("template");
    assertThat(admin.post("/api/v1/metric-templates", templateDocument(name)).status())
        .isEqualTo(201);
    return name;
  }

  private static Map<String, Object> templateDocument(String name) {
    return Map.of(
        "name",
        name,
        "counts",
        Map.of(
            "bad", "sum(increase(errors{version=\"${version}\"}[${window}]))",
            "total", "sum(increase(requests{version=\"${version}\"}[${window}]))"));
  }

  private List<Row> rows() {
    String plans = "/api/v1/plans";
    String rollouts = "/api/v1/rollouts";
    String templates = "/api/v1/metric-templates";
    return List.of(
        new Row("GET", templates, READERS, () -> Call.of(templates)),
        new Row(
            "POST",
            templates,
            OPERATORS,
            () -> new Call(templates, templateDocument(fixtures.uniqueName("template")), Map.of())),
        new Row("GET", templates + "/{name}", READERS, () -> Call.of(templates + "/" + template())),
        new Row(
            "PUT",
            templates + "/{name}",
            OPERATORS,
            () -> {
              String name = template();
              Map<String, Object> changed = new java.util.LinkedHashMap<>(templateDocument(name));
              changed.put("description", "changed");
              return new Call(templates + "/" + name, changed, Map.of("If-Match", "\"1\""));
            }),
        new Row(
            "DELETE",
            templates + "/{name}",
            OPERATORS,
            () -> new Call(templates + "/" + template(), null, Map.of("If-Match", "\"1\""))),
        new Row(
            "GET",
            templates + "/{name}/revisions",
            READERS,
            () -> Call.of(templates + "/" + template() + "/revisions")),
        new Row(
            "GET",
            templates + "/{name}/revisions/{revision}",
            READERS,
            () -> Call.of(templates + "/" + template() + "/revisions/1")),
        new Row("GET", plans, READERS, () -> Call.of(plans)),
        new Row(
            "POST",
            plans,
            OPERATORS,
            () ->
                new Call(
                    plans,
                    dev.aviary.controller.support.PlanDocuments.aPlan(fixtures.uniqueName("new"))
                        .withWeights(100)
                        .build(),
                    Map.of())),
        new Row("GET", plans + "/{name}", READERS, () -> Call.of(plans + "/" + sharedPlan)),
        new Row(
            "PUT",
            plans + "/{name}",
            OPERATORS,
            () -> {
              String name = fixtures.plan(Map.of());
              return new Call(
                  plans + "/" + name,
                  dev.aviary.controller.support.PlanDocuments.aPlan(name)
                      .withWeights(50, 100)
                      .build(),
                  Map.of("If-Match", "\"1\""));
            }),
        new Row(
            "DELETE",
            plans + "/{name}",
            OPERATORS,
            () ->
                new Call(plans + "/" + fixtures.plan(Map.of()), null, Map.of("If-Match", "\"1\""))),
        new Row(
            "GET",
            plans + "/{name}/revisions",
            READERS,
            () -> Call.of(plans + "/" + sharedPlan + "/revisions")),
        new Row(
            "GET",
            plans + "/{name}/revisions/{revision}",
            READERS,
            () -> Call.of(plans + "/" + sharedPlan + "/revisions/1")),
        new Row(
            "POST",
            plans + "/{name}/backtest",
            OPERATORS,
            () -> {
              java.time.Instant now = java.time.Instant.now();
              return new Call(
                  plans + "/" + backtestPlan + "/backtest",
                  Map.of(
                      "from",
                      now.minus(java.time.Duration.ofMinutes(10)).toString(),
                      "to",
                      now.toString(),
                      "baseline",
                      Map.of("version", "1")),
                  Map.of());
            }),
        new Row(
            "POST",
            plans + "/{name}/check",
            OPERATORS,
            () ->
                new Call(
                    plans + "/" + backtestPlan + "/check",
                    Map.of("canary", Map.of("version", "2"), "baseline", Map.of("version", "1")),
                    Map.of())),
        new Row(
            "POST",
            plans + "/{name}/preview",
            OPERATORS,
            () ->
                new Call(
                    plans + "/" + sharedPlan + "/preview",
                    dev.aviary.controller.support.PlanDocuments.aPlan(sharedPlan)
                        .withWeights(30, 100)
                        .build(),
                    Map.of())),
        new Row("GET", rollouts, ROLLOUT_READERS, () -> Call.of(rollouts)),
        new Row(
            "GET", rollouts + "/changes", ROLLOUT_READERS, () -> Call.of(rollouts + "/changes")),
        new Row(
            "POST",
            rollouts,
            STARTERS,
            () ->
                new Call(
                    rollouts,
                    Map.of("plan", fixtures.plan(Map.of()), "canary", Map.of("version", "2")),
                    Map.of())),
        new Row(
            "GET",
            rollouts + "/next-slot",
            ROLLOUT_READERS,
            () -> Call.of(rollouts + "/next-slot?plan=" + sharedPlan)),
        new Row(
            "GET",
            rollouts + "/{id}",
            ROLLOUT_READERS,
            () -> Call.of(rollouts + "/" + sharedRollout)),
        new Row(
            "GET",
            rollouts + "/{id}/events",
            ROLLOUT_READERS,
            () -> Call.of(rollouts + "/" + sharedRollout + "/events")),
        new Row(
            "GET",
            rollouts + "/{id}/events/stream",
            ROLLOUT_READERS,
            () -> Call.of(rollouts + "/" + sharedRollout + "/events/stream")),
        new Row(
            "GET",
            rollouts + "/{id}/analyses",
            ROLLOUT_READERS,
            () -> Call.of(rollouts + "/" + sharedRollout + "/analyses")),
        new Row(
            "GET",
            rollouts + "/{id}/comparisons",
            ROLLOUT_READERS,
            () -> Call.of(rollouts + "/" + parallelRunRollout + "/comparisons")),
        new Row(
            "POST",
            plans + "/{name}/comparisons",
            STARTERS,
            () ->
                new Call(
                    plans + "/" + parallelRunPlan + "/comparisons",
                    Map.of(
                        "source",
                        fixtures.uniqueName("proxy"),
                        "sequence",
                        1,
                        "from",
                        "2026-12-01T00:00:00Z",
                        "to",
                        "2026-12-01T00:00:01Z",
                        "endpoints",
                        List.of()),
                    Map.of())),
        action("pause", () -> fixtures.progressingRollout()),
        action("resume", () -> fixtures.pausedRollout()),
        action("promote", () -> fixtures.progressingRollout()),
        action("approve", () -> fixtures.awaitingApprovalRollout()),
        new Row(
            "POST",
            "/api/v1/rollouts/{id}/reject",
            OPERATORS,
            () ->
                new Call(
                    "/api/v1/rollouts/" + fixtures.awaitingApprovalRollout() + "/reject",
                    Map.of("reason", "not this week"),
                    Map.of())),
        action("abort", () -> fixtures.progressingRollout()),
        action("retry", () -> fixtures.abortedRollout()),
        new Row(
            "POST",
            "/api/v1/judgements",
            OPERATORS,
            () ->
                new Call(
                    "/api/v1/judgements",
                    Map.of(
                        "judge",
                        Map.of("type", "threshold"),
                        "metrics",
                        List.of(Map.of("name", "error_rate", "max", 0.01, "canary", List.of(0.0)))),
                    Map.of())),
        new Row(
            "GET", "/api/v1/concurrency-limits", ALL, () -> Call.of("/api/v1/concurrency-limits")),
        new Row(
            "GET",
            "/api/v1/concurrency-limits/{id}",
            ALL,
            () -> Call.of("/api/v1/concurrency-limits/" + fixtures.limit())),
        new Row(
            "POST",
            "/api/v1/concurrency-limits",
            ADMINS,
            () ->
                new Call(
                    "/api/v1/concurrency-limits",
                    Map.of(
                        "labels",
                        Map.of("matrix", fixtures.uniqueName("limit")),
                        "maxActive",
                        3,
                        "reason",
                        "matrix"),
                    Map.of())),
        new Row(
            "DELETE",
            "/api/v1/concurrency-limits/{id}",
            ADMINS,
            () -> new Call("/api/v1/concurrency-limits/" + fixtures.limit(), null, Map.of())),
        new Row(
            "GET",
            "/api/v1/approval-links/{token}",
            READERS,
            () -> Call.of("/api/v1/approval-links/" + sharedLink)),
        new Row(
            "POST",
            "/api/v1/approval-links/{token}/approve",
            OPERATORS,
            () ->
                new Call(
                    "/api/v1/approval-links/" + fixtures.approvalLink() + "/approve",
                    null,
                    Map.of())),
        new Row(
            "POST",
            "/api/v1/approval-links/{token}/reject",
            OPERATORS,
            () ->
                new Call(
                    "/api/v1/approval-links/" + fixtures.approvalLink() + "/reject",
                    Map.of("reason", "matrix"),
                    Map.of())),
        new Row("GET", "/api/v1/notifications", ALL, () -> Call.of("/api/v1/notifications")),
        new Row(
            "GET",
            "/api/v1/notifications/{id}",
            ALL,
            () -> Call.of("/api/v1/notifications/" + sharedNotification)),
        new Row(
            "POST",
            "/api/v1/notifications/{id}/retry",
            OPERATORS,
            () ->
                new Call("/api/v1/notifications/" + sharedNotification + "/retry", null, Map.of())),
        new Row("GET", "/api/v1/freezes", ALL, () -> Call.of("/api/v1/freezes")),
        new Row(
            "GET",
            "/api/v1/freezes/{id}",
            ALL,
            () -> Call.of("/api/v1/freezes/" + fixtures.freeze())),
        new Row(
            "POST",
            "/api/v1/freezes",
            ADMINS,
            () ->
                new Call(
                    "/api/v1/freezes",
                    Map.of(
                        "reason",
                        "matrix",
                        "labels",
                        Map.of("matrix", fixtures.uniqueName("freeze")),
                        "duration",
                        "1m"),
                    Map.of())),
        new Row(
            "DELETE",
            "/api/v1/freezes/{id}",
            ADMINS,
            () -> new Call("/api/v1/freezes/" + fixtures.freeze(), null, Map.of())),
        new Row("GET", "/api/v1/tokens", ADMINS, () -> Call.of("/api/v1/tokens")),
        new Row(
            "POST",
            "/api/v1/tokens",
            ADMINS,
            () ->
                new Call(
                    "/api/v1/tokens",
                    Map.of("name", fixtures.uniqueName("issued"), "role", "viewer"),
                    Map.of())),
        new Row(
            "GET", "/api/v1/tokens/{name}", ADMINS, () -> Call.of("/api/v1/tokens/" + sharedToken)),
        new Row(
            "DELETE",
            "/api/v1/tokens/{name}",
            ADMINS,
            () -> {
              String name = fixtures.uniqueName("doomed");
              fixtures.token(name, "viewer", Map.of());
              return new Call("/api/v1/tokens/" + name, null, Map.of());
            }),
        new Row("GET", "/api/v1/audit", ADMINS, () -> Call.of("/api/v1/audit")),
        new Row("GET", "/api/v1/settings", ADMINS, () -> Call.of("/api/v1/settings")),
        new Row("GET", "/api/v1/whoami", ALL, () -> Call.of("/api/v1/whoami")));
  }

  private Row action(String name, Supplier<String> rollout) {
    return new Row(
        "POST",
        "/api/v1/rollouts/{id}/" + name,
        OPERATORS,
        () -> Call.of("/api/v1/rollouts/" + rollout.get() + "/" + name));
  }

  @Test
  void everyApiEndpointHasARow() {
    Set<String> mapped = new TreeSet<>();
    mappings
        .getHandlerMethods()
        .keySet()
        .forEach(
            info ->
                info.getPathPatternsCondition()
                    .getPatternValues()
                    .forEach(
                        pattern ->
                            info.getMethodsCondition()
                                .getMethods()
                                .forEach(m -> mapped.add(m.name() + " " + pattern))));
    mapped.removeIf(e -> !e.contains(" /api/"));
    // a browser's sign-in, not a bearer caller's endpoint: DashboardSessionIT covers it
    mapped.removeIf(e -> e.contains(" /api/v1/session"));
    Set<String> covered = new TreeSet<>();
    rows().forEach(r -> covered.add(r.method() + " " + r.pattern()));
    assertThat(covered).isEqualTo(mapped);
  }

  @TestFactory
  Stream<DynamicTest> everyEndpointForEveryCaller() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Row row : rows()) {
      for (Map.Entry<String, Api> caller : callers.entrySet()) {
        String who = caller.getKey();
        tests.add(
            DynamicTest.dynamicTest(
                row.method() + " " + row.pattern() + " as " + who,
                () -> check(row, who, caller.getValue())));
      }
    }
    return tests.stream();
  }

  private void check(Row row, String who, Api api) {
    boolean allowed = row.allowed().contains(who);
    // refused calls never reach a handler, so they need no fresh fixture
    Call call =
        allowed
            ? row.call().get()
            : Call.of(
                row.pattern()
                    .replace("{name}", sharedPlan)
                    .replace("{id}", sharedRollout)
                    .replace("{token}", sharedLink)
                    .replace("{revision}", "1"));
    Api.Response response = api.send(row.method(), call.path(), call.body(), call.headers());
    String context = row.method() + " " + call.path() + " as " + who + ": " + response.text();
    if (who.equals("anonymous")) {
      assertThat(response.status()).as(context).isEqualTo(401);
      assertThat(response.header("WWW-Authenticate")).as(context).startsWith("Bearer");
      assertProblem(response, "unauthenticated", context);
    } else if (allowed) {
      assertThat(response.status()).as(context).isBetween(200, 299);
    } else {
      assertThat(response.status()).as(context).isEqualTo(403);
      assertProblem(response, "forbidden", context);
      assertThat(response.json().path("detail").asString())
          .as(context)
          .contains("role " + who)
          .contains(row.method());
    }
  }

  private static void assertProblem(Api.Response response, String slug, String context) {
    assertThat(response.header("Content-Type")).as(context).startsWith("application/problem+json");
    assertThat(response.json().path("type").asString())
        .as(context)
        .isEqualTo("https://aviary.dev/problems/" + slug);
    assertThat(response.json().path("status").asInt()).as(context).isEqualTo(response.status());
  }
}
