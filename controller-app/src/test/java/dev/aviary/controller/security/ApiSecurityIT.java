package dev.aviary.controller.security;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Tokens' life cycle, pipeline scopes, actors in the audit trail, sealed secrets, CORS and security
 * headers, on the shared test controller.
 */
@AviaryIntegrationTest
class ApiSecurityIT {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  private Api admin;
  private SecurityFixtures fixtures;

  @BeforeEach
  void setUp() {
    admin = new Api(port);
    fixtures = new SecurityFixtures(admin, "sec");
  }

  @Test
  void aTokenIsShownOnceStoredOnlyAsAHashAndStopsWorkingWhenRevokedOrExpired() {
    String name = fixtures.uniqueName("lifecycle");
    Api.Response issued =
        admin.post(
            "/api/v1/tokens",
            Map.of("name", name, "role", "operator", "description", "release team"));
    assertThat(issued.status()).isEqualTo(201);
    assertThat(issued.header("Location")).isEqualTo("/api/v1/tokens/" + name);
    assertThat(issued.header("Cache-Control")).contains("no-store");
    String token = issued.json().path("token").asString();
    assertThat(token).startsWith("avy_").hasSize(4 + 43);
    assertThat(issued.json().path("hint").asString()).endsWith(token.substring(token.length() - 4));
    assertThat(issued.json().path("expiresAt").asString()).isNotBlank();

    // never shown again, never stored
    assertThat(admin.get("/api/v1/tokens/" + name).text()).doesNotContain(token);
    assertThat(admin.get("/api/v1/tokens").text()).doesNotContain(token);
    String row =
        jdbc.sql("SELECT row_to_json(t)::text FROM api_token t WHERE name = :name")
            .param("name", name)
            .query(String.class)
            .single();
    assertThat(row).doesNotContain(token).contains(ApiTokens.hash(token));

    Api operator = admin.withToken(token);
    Api.Response whoami = operator.get("/api/v1/whoami");
    assertThat(whoami.json().path("actor").asString()).isEqualTo("token:" + name);
    assertThat(whoami.json().path("roles").toString()).isEqualTo("[\"operator\"]");
    assertThat(admin.get("/api/v1/tokens/" + name).json().path("lastUsedAt").asString())
        .isNotBlank();

    // a second active token of the same name is refused
    assertThat(admin.post("/api/v1/tokens", Map.of("name", name, "role", "viewer")).status())
        .isEqualTo(409);

    Api.Response revoked = admin.delete("/api/v1/tokens/" + name, Map.of());
    assertThat(revoked.json().path("state").asString()).isEqualTo("revoked");
    assertThat(revoked.json().path("revokedBy").asString()).isEqualTo("token:bootstrap-admin");
    Api.Response refused = operator.get("/api/v1/whoami");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.json().path("type").asString())
        .isEqualTo("https://aviary.dev/problems/invalid-token");
    assertThat(refused.header("WWW-Authenticate")).contains("invalid_token");
    assertThat(admin.get("/api/v1/tokens?includeRevoked=true").text()).contains(name);

    // expiry: the same check, with the expiry moved into the past
    String expiring = fixtures.uniqueName("expiring");
    String expiringToken = fixtures.token(expiring, "viewer", Map.of("expiresIn", "1h"));
    assertThat(admin.withToken(expiringToken).get("/api/v1/whoami").status()).isEqualTo(200);
    jdbc.sql("UPDATE api_token SET expires_at = now() - interval '1 second' WHERE name = :name")
        .param("name", expiring)
        .update();
    assertThat(admin.withToken(expiringToken).get("/api/v1/whoami").status()).isEqualTo(401);

    // both the issue and the revocation are in the audit log, with their actor
    JsonNode audit = admin.get("/api/v1/audit?actor=token:bootstrap-admin&limit=1000").json();
    List<String> entries =
        audit
            .path("items")
            .valueStream()
            .map(e -> e.path("action").asString() + " " + e.path("target").asString())
            .toList();
    assertThat(entries).contains("token.created token:" + name, "token.revoked token:" + name);
  }

  @Test
  void badTokenRequestsNameEveryBadField() {
    Api.Response bad =
        admin.post(
            "/api/v1/tokens",
            Map.of(
                "name", "Not A Name",
                "role", "superuser",
                "expiresIn", "9999d",
                "plans", List.of("x"),
                "colour", "red"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.errorFields()).containsExactlyInAnyOrder("colour", "name", "role", "expiresIn");
    Api.Response scopedOperator =
        admin.post(
            "/api/v1/tokens",
            Map.of("name", fixtures.uniqueName("x"), "role", "operator", "plans", List.of("a")));
    assertThat(scopedOperator.errorFields()).containsExactly("plans");
    assertThat(admin.withToken("avy_not-a-real-token").get("/api/v1/plans").status())
        .isEqualTo(401);
    assertThat(admin.withToken("eyJhbGciOiJIUzI1NiJ9.e30.x").get("/api/v1/plans").status())
        .isEqualTo(401);
  }

  @Test
  void aScopedPipelineTokenStartsAndReadsOnlyItsPlans() {
    String named = fixtures.plan(Map.of());
    String labelled = fixtures.plan(Map.of("team", "payments"));
    String other = fixtures.plan(Map.of("team", "search"));
    String otherRollout = fixtures.start(other);
    Api pipeline =
        admin.withToken(
            fixtures.token(
                fixtures.uniqueName("ci"),
                "pipeline",
                Map.of("plans", List.of(named), "planSelector", Map.of("team", "payments"))));

    Api.Response byName =
        pipeline.post("/api/v1/rollouts", Map.of("plan", named, "canary", Map.of("version", "2")));
    assertThat(byName.status()).as(byName.text()).isEqualTo(201);
    Api.Response byLabel =
        pipeline.post(
            "/api/v1/rollouts", Map.of("plan", labelled, "canary", Map.of("version", "2")));
    assertThat(byLabel.status()).as(byLabel.text()).isEqualTo(201);
    Api.Response outside =
        pipeline.post("/api/v1/rollouts", Map.of("plan", other, "canary", Map.of("version", "2")));
    assertThat(outside.status()).isEqualTo(403);
    assertThat(outside.json().path("detail").asString()).contains(other);

    String mine = byName.json().path("id").asString();
    assertThat(pipeline.get("/api/v1/rollouts/" + mine).status()).isEqualTo(200);
    assertThat(pipeline.get("/api/v1/rollouts/" + mine + "/events").status()).isEqualTo(200);
    assertThat(pipeline.get("/api/v1/rollouts/" + otherRollout).status()).isEqualTo(403);
    assertThat(pipeline.get("/api/v1/rollouts/" + otherRollout + "/events").status())
        .isEqualTo(403);
    assertThat(pipeline.post("/api/v1/rollouts/" + mine + "/abort", null).status()).isEqualTo(403);
    assertThat(pipeline.get("/api/v1/plans/" + named).status()).isEqualTo(403);

    List<String> listed =
        pipeline
            .get("/api/v1/rollouts?size=200")
            .json()
            .path("items")
            .valueStream()
            .map(r -> r.path("plan").asString())
            .distinct()
            .toList();
    assertThat(listed).containsExactlyInAnyOrder(named, labelled);
    assertThat(pipeline.get("/api/v1/rollouts?size=200").json().path("totalItems").asInt())
        .isEqualTo(2);

    // the pipeline is the recorded actor of what it started
    assertThat(admin.get("/api/v1/rollouts/" + mine).json().path("createdBy").asString())
        .startsWith("token:" + "sec-ci-");
  }

  @Test
  void everyChangeRecordsItsActor() {
    String operatorName = fixtures.uniqueName("releaser");
    Api operator = admin.withToken(fixtures.token(operatorName, "operator", Map.of()));
    String plan = fixtures.uniqueName("actors");
    assertThat(operator.post("/api/v1/plans", aPlan(plan).withWeights(100).build()).status())
        .isEqualTo(201);
    assertThat(
            admin
                .get("/api/v1/plans/" + plan + "/revisions")
                .json()
                .path("items")
                .get(0)
                .toString())
        .contains("token:" + operatorName);
    String id = fixtures.progressingRollout();
    assertThat(operator.post("/api/v1/rollouts/" + id + "/pause", null).status()).isEqualTo(200);
    List<String> actors =
        admin
            .get("/api/v1/rollouts/" + id + "/events")
            .json()
            .path("items")
            .valueStream()
            .map(e -> e.path("actor").asString())
            .toList();
    assertThat(actors).contains("token:bootstrap-admin", "token:" + operatorName, "scheduler");
  }

  /** A webhook router whose signing secret is {@code secret}: where plans hold a credential. */
  private static Map<String, Object> webhookRouter(Map<String, Object> secret) {
    return Map.of("type", "webhook", "url", "http://127.0.0.1:9/weights", "signingSecret", secret);
  }

  @Test
  void aPlaintextSecretIsSealedAndNeverShownAgain() {
    String plan = fixtures.uniqueName("sealed");
    String secret = "planted-router-secret-7f3a";
    Map<String, Object> router = webhookRouter(Map.of("plaintext", secret));
    Api.Response created =
        admin.post("/api/v1/plans", aPlan(plan).withRouter(router).withWeights(100).build());
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.text()).doesNotContain(secret);
    String sealed =
        created.json().path("router").path("signingSecret").path("encrypted").asString();
    assertThat(sealed).startsWith("v2:");
    assertThat(admin.get("/api/v1/plans/" + plan).text()).doesNotContain(secret).contains(sealed);
    String stored =
        jdbc.sql(
                "SELECT (SELECT row_to_json(p)::text FROM plan p WHERE name = :n)"
                    + " || (SELECT string_agg(row_to_json(r)::text, '') FROM plan_revision r"
                    + " WHERE plan_name = :n)")
            .param("n", plan)
            .query(String.class)
            .single();
    assertThat(stored).contains(sealed).doesNotContain(secret);

    // a sealed value this controller's keys do not open is refused when written
    Map<String, Object> foreign =
        webhookRouter(Map.of("encrypted", "v1:0badc0de:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    Api.Response refused =
        admin.post(
            "/api/v1/plans",
            aPlan(fixtures.uniqueName("foreign")).withRouter(foreign).withWeights(100).build());
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.errorFields()).containsExactly("router.signingSecret.encrypted");

    // the plan's own sealed value, sent back as read, is accepted: it belongs there
    Api.Response same =
        admin.put(
            "/api/v1/plans/" + plan,
            aPlan(plan)
                .withRouter(webhookRouter(Map.of("encrypted", sealed)))
                .withWeights(100)
                .build(),
            Map.of());
    assertThat(same.status()).as(same.text()).isEqualTo(200);

    // copied into another plan (a viewer can read it), it opens nowhere else
    String thief = fixtures.uniqueName("transplant");
    Map<String, Object> copied = webhookRouter(Map.of("encrypted", sealed));
    Api.Response transplanted =
        admin.post("/api/v1/plans", aPlan(thief).withRouter(copied).withWeights(100).build());
    assertThat(transplanted.status()).isEqualTo(400);
    assertThat(transplanted.errorFields()).containsExactly("router.signingSecret.encrypted");
    assertThat(transplanted.text()).contains("sealed for plan " + plan);
    assertThat(admin.get("/api/v1/plans/" + thief).status()).isEqualTo(404);
  }

  /**
   * The two escalations a plan was: a metric that POSTs to the controller's own token endpoint with
   * the bootstrap token read from its file, and the environment (encryption key included) sent as a
   * password. Both are refused when the plan is written, naming the field, and nothing is stored.
   */
  @Test
  void aPlanCannotReferenceAviarysOwnSecretsOrFilesOutsideTheAllowedDirectories() throws Exception {
    Path allowed =
        Files.createDirectories(
            Path.of(System.getProperty("java.io.tmpdir"), "aviary-test-secrets"));
    Path outside = Files.createTempDirectory("aviary-outside");
    Path secret = Files.writeString(outside.resolve("secret"), "s3cret");
    Path link = allowed.resolve("link-" + System.nanoTime());
    Files.createSymbolicLink(link, secret);
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("/proc/self/cwd/.aviary/admin-token", "Aviary's own files");
    refused.put("/proc/self/environ", "Aviary's own files");
    refused.put(secret.toString(), "not under a directory allowed for secrets");
    refused.put(link.toString(), "leads through a link to outside");
    refused.put(allowed + "/../" + outside.getFileName() + "/secret", "not under a directory");
    for (Map.Entry<String, String> e : refused.entrySet()) {
      String name = fixtures.uniqueName("escalate");
      Api.Response r =
          admin.post(
              "/api/v1/plans",
              aPlan(name)
                  .withRouter(webhookRouter(Map.of("file", e.getKey())))
                  .withWeights(100)
                  .build());
      assertThat(r.status()).as(e.getKey() + ": " + r.text()).isEqualTo(400);
      assertThat(r.errorFields()).containsExactly("router.signingSecret.file");
      assertThat(r.text()).contains(e.getValue()).doesNotContain("s3cret");
      assertThat(admin.get("/api/v1/plans/" + name).status()).isEqualTo(404);
    }
    for (String own : List.of("AVIARY_ENCRYPTION_KEY", "AVIARY_BOOTSTRAP_TOKEN")) {
      Api.Response r =
          admin.post(
              "/api/v1/plans",
              aPlan(fixtures.uniqueName("escalate"))
                  .withRouter(webhookRouter(Map.of("env", own)))
                  .withWeights(100)
                  .build());
      assertThat(r.status()).as(own).isEqualTo(400);
      assertThat(r.errorFields()).containsExactly("router.signingSecret.env");
    }
    // a file under the allowed directory is accepted
    Path fine = Files.writeString(allowed.resolve("fine-" + System.nanoTime()), "ok");
    Api.Response accepted =
        admin.post(
            "/api/v1/plans",
            aPlan(fixtures.uniqueName("allowed"))
                .withRouter(webhookRouter(Map.of("file", fine.toString())))
                .withWeights(100)
                .build());
    assertThat(accepted.status()).as(accepted.text()).isEqualTo(201);
  }

  /**
   * A web metric that calls the controller's own API (with the plan's credentials, of the author's
   * choosing) or a cloud metadata service is refused when the plan is written, even with loopback
   * allowed as the test profile allows it.
   */
  @Test
  void aPlanCannotSendRequestsToTheControllerItselfOrToMetadataServices() {
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("http://127.0.0.1:" + port + "/api/v1/tokens", "Aviary's own API");
    refused.put("http://localhost:" + port + "/api/v1/tokens", "Aviary's own API");
    refused.put("http://169.254.169.254/latest/meta-data/", "link-local");
    refused.put("http://${version}.example/errors", "must be written out");
    for (Map.Entry<String, String> e : refused.entrySet()) {
      String name = fixtures.uniqueName("outbound");
      Map<String, Object> metric = new LinkedHashMap<>();
      metric.put("name", "stolen");
      metric.put(
          "provider",
          Map.of(
              "type",
              "web",
              "method",
              "POST",
              "jsonPath",
              "$.token",
              "body",
              "{\"name\": \"x\", \"role\": \"admin\"}"));
      metric.put("query", e.getKey());
      metric.put("threshold", Map.of("max", 1));
      Api.Response r = admin.post("/api/v1/plans", aPlan(name).withMetric(metric).build());
      assertThat(r.status()).as(e.getKey() + ": " + r.text()).isEqualTo(400);
      assertThat(r.errorFields()).containsExactly("analysis.metrics[0].query");
      assertThat(r.text()).contains(e.getValue());
    }
  }

  /**
   * A start value that no escaping can make data where a plan's query uses it (outside quotes) is
   * refused when the rollout starts, naming the scope — not sent to the backend.
   */
  @Test
  void aStartValueAQueryCannotUseIsRefusedAtStart() {
    String name = fixtures.uniqueName("escaped");
    Map<String, Object> metric = new LinkedHashMap<>();
    metric.put("name", "errors");
    metric.put(
        "provider", Map.of("type", "prometheus", "address", "http://prometheus.invalid:9090"));
    metric.put(
        "counts",
        Map.of(
            "bad",
            "sum(increase(errors{version=\"${version}\"}[${window}] offset ${lag}))",
            "total",
            "sum(increase(requests{version=\"${version}\"}[${window}]))"));
    Api.Response created =
        admin.post("/api/v1/plans", aPlan(name).withWeights(10, 100).withMetric(metric).build());
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    Api.Response refused = start(name, Map.of("version", "2.0", "lag", "1m)) or vector(0"));
    assertThat(refused.status()).as(refused.text()).isEqualTo(400);
    assertThat(refused.errorFields()).containsExactly("canary");
    assertThat(refused.text()).contains("${lag}").contains("outside a quoted string");
    // the same values inside quotes are escaped, not refused
    Api.Response started = start(name, Map.of("version", "2.0\"} or vector(1", "lag", "1m"));
    assertThat(started.status()).as(started.text()).isEqualTo(201);
    admin.post("/api/v1/rollouts/" + started.json().path("id").asString() + "/abort", Map.of());
  }

  private Api.Response start(String plan, Map<String, String> canary) {
    return admin.post(
        "/api/v1/rollouts",
        Map.of("plan", plan, "canary", canary, "baseline", Map.of("version", "1.9", "lag", "1m")));
  }

  @Test
  void crossOriginBrowserCallsAreRefusedAndResponsesCarrySecurityHeaders() {
    Api.Response crossOrigin =
        admin.withHeader("Origin", "https://evil.example").get("/api/v1/plans");
    assertThat(crossOrigin.status()).isEqualTo(403);
    assertThat(crossOrigin.json().path("type").asString())
        .isEqualTo("https://aviary.dev/problems/cors-origin-refused");
    assertThat(crossOrigin.header("Access-Control-Allow-Origin")).isNull();
    Api.Response preflight =
        admin
            .anonymous()
            .send(
                "OPTIONS",
                "/api/v1/plans",
                null,
                Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "POST"));
    assertThat(preflight.status()).isEqualTo(403);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();

    Api.Response plain = admin.get("/api/v1/plans");
    assertThat(plain.status()).isEqualTo(200);
    assertThat(plain.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(plain.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(plain.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(plain.header("Content-Security-Policy"))
        .isEqualTo("default-src 'none'; frame-ancestors 'none'");
    assertThat(plain.header("Cache-Control")).contains("no-store");
  }

  @Test
  void healthAndMetricsAreOpenAndTheRestOfTheActuatorIsNot() {
    Api anonymous = admin.anonymous();
    assertThat(anonymous.get("/actuator/health/liveness").status()).isEqualTo(200);
    assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
    assertThat(anonymous.get("/actuator/prometheus").status()).isEqualTo(200);
    assertThat(anonymous.get("/v3/api-docs").status()).isEqualTo(200);
    assertThat(anonymous.get("/actuator/env").status()).isEqualTo(401);
  }
}
