package dev.aviary.controller.security;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.platform.webhook.WebhookSender;
import dev.aviary.controller.support.Api;
import dev.aviary.testing.ControllerProcess;
import dev.aviary.testing.FreePorts;
import dev.aviary.testing.PrometheusServer;
import dev.aviary.testing.TestPostgres;
import dev.aviary.testing.TestTokens;
import dev.aviary.testing.TextHttpServer;
import dev.aviary.testing.TextHttpServer.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * A full run with planted credentials of every kind: a Prometheus basic-auth password in an
 * environment variable (and a wrong one that makes Prometheus refuse), a webhook router's signing
 * secret given in the clear and sealed, a notification signing secret in a file. The credentials
 * are used (Prometheus answers, the receivers verify the signatures), and afterwards no API
 * response, no log line (Aviary's own at DEBUG) and no database row holds any of them.
 */
class PlantedSecretsIT {

  private static final String PROM_PASSWORD = "planted-prometheus-password-91c4";
  private static final String WRONG_PASSWORD = "planted-wrong-password-5d27";
  private static final String ROUTER_SECRET = "planted-router-secret-e83b";
  private static final String NOTIFY_SECRET = "planted-notification-secret-0a6f";
  private static final List<String> PLANTED =
      List.of(PROM_PASSWORD, WRONG_PASSWORD, ROUTER_SECRET, NOTIFY_SECRET);

  @Test
  void noPlantedSecretLeaksIntoResponsesLogsOrTheDatabase() throws Exception {
    Path dir = Files.createTempDirectory("aviary-planted");
    Path notifySecretFile = dir.resolve("notify-secret");
    Files.writeString(notifySecretFile, NOTIFY_SECRET + "\n");
    List<String> badSignatures = new CopyOnWriteArrayList<>();
    TestPostgres.Database db = TestPostgres.newDatabase();
    try (TextHttpServer receiver = new TextHttpServer();
        PrometheusServer prometheus =
            PrometheusServer.startWithWebConfig(
                dir.resolve("prometheus"),
                List.of(),
                "basic_auth_users:\n  aviary: "
                    + new BCryptPasswordEncoder(4).encode(PROM_PASSWORD)
                    + "\n")) {
      receiver.answer("/weights", r -> verified(r, ROUTER_SECRET, badSignatures));
      receiver.answer("/notify", r -> verified(r, NOTIFY_SECRET, badSignatures));
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("spring.datasource.url", db.jdbcUrl());
      properties.put("spring.datasource.username", db.username());
      properties.put("spring.datasource.password", db.password());
      properties.put("aviary.scheduler.poll-interval", "200ms");
      properties.put("aviary.notifications.poll-interval", "200ms");
      properties.put("logging.level.dev.aviary", "DEBUG");
      properties.put("aviary.secrets.file-roots", dir.toString());
      try (ControllerProcess controller =
          ControllerProcess.start(
              FreePorts.next(),
              properties,
              Map.of(
                  "PROM_PASSWORD", PROM_PASSWORD,
                  "PROM_WRONG", WRONG_PASSWORD,
                  "AVIARY_ENCRYPTION_KEY", TestTokens.ENCRYPTION_KEY),
              dir,
              "planted")) {
        Api api = new Api(controller.url());
        List<Api.Response> responses = new ArrayList<>();
        responses.add(
            created(
                api,
                plan("guarded", prometheus.url(), "PROM_PASSWORD", receiver, notifySecretFile)));
        responses.add(
            created(
                api, plan("refused", prometheus.url(), "PROM_WRONG", receiver, notifySecretFile)));
        String good = start(api, "guarded", responses);
        String bad = start(api, "refused", responses);
        await("both rollouts finish")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    Set.of("SUCCEEDED", "ROLLED_BACK", "FAILED")
                            .contains(
                                api.get("/api/v1/rollouts/" + good).json().path("phase").asString())
                        && Set.of("SUCCEEDED", "ROLLED_BACK", "FAILED")
                            .contains(
                                api.get("/api/v1/rollouts/" + bad)
                                    .json()
                                    .path("phase")
                                    .asString()));
        // the credentials were used: Prometheus let the right password in, refused the wrong one,
        // and every webhook carried a signature made with the right secret
        assertThat(api.get("/api/v1/rollouts/" + good).json().path("phase").asString())
            .isEqualTo("SUCCEEDED");
        assertThat(api.get("/api/v1/rollouts/" + bad).json().path("phase").asString())
            .isNotEqualTo("SUCCEEDED");
        await("notifications delivered")
            .atMost(Duration.ofSeconds(30))
            .until(() -> receiver.requests().stream().anyMatch(r -> r.path().equals("/notify")));
        assertThat(receiver.requests()).anyMatch(r -> r.path().equals("/weights"));
        assertThat(badSignatures).isEmpty();

        for (String path :
            List.of(
                "/api/v1/plans",
                "/api/v1/plans/guarded",
                "/api/v1/plans/refused",
                "/api/v1/plans/guarded/revisions",
                "/api/v1/plans/guarded/revisions/1",
                "/api/v1/rollouts",
                "/api/v1/rollouts/" + good,
                "/api/v1/rollouts/" + good + "/events",
                "/api/v1/rollouts/" + good + "/analyses",
                "/api/v1/rollouts/" + bad,
                "/api/v1/rollouts/" + bad + "/events",
                "/api/v1/rollouts/" + bad + "/analyses",
                "/api/v1/settings",
                "/api/v1/tokens",
                "/api/v1/audit",
                "/actuator/prometheus",
                "/actuator/health",
                "/v3/api-docs")) {
          responses.add(api.get(path));
        }
        // the refused metric's error is explained, without the password it was refused with
        assertThat(api.get("/api/v1/rollouts/" + bad + "/analyses").text())
            .containsIgnoringCase("401");
        for (Api.Response r : responses) {
          assertNoSecret(r.text(), "a response");
        }
        assertNoSecret(controller.output(), "the controller's log");
        assertThat(controller.output()).contains("DEBUG");
        assertNoSecret(dump(db), "the database");
      }
    }
  }

  private static Map<String, Object> plan(
      String name,
      String prometheus,
      String passwordEnv,
      TextHttpServer receiver,
      Path secretFile) {
    Map<String, Object> metric = new LinkedHashMap<>();
    metric.put("name", "error-rate");
    metric.put(
        "provider",
        Map.of(
            "type",
            "prometheus",
            "address",
            prometheus,
            "auth",
            Map.of("basic", Map.of("username", "aviary", "password", Map.of("env", passwordEnv)))));
    metric.put("query", "vector(0)");
    metric.put("threshold", Map.of("max", 0.01));
    return aPlan(name)
        .withRouter(
            Map.of(
                "type",
                "webhook",
                "url",
                receiver.url("/weights"),
                "signingSecret",
                Map.of("plaintext", ROUTER_SECRET)))
        .withWeights(50, 100)
        .withMetric(metric)
        .withAnalysis("interval", "2s")
        .withAnalysis("consecutiveErrorLimit", 2)
        .withAnalysis("errorAction", "rollback") // the refused one ends, not waits for a person
        .with(
            "notifications",
            List.of(
                Map.of(
                    "url",
                    receiver.url("/notify"),
                    "signingSecret",
                    Map.of("file", secretFile.toString()))))
        .build();
  }

  private static Api.Response created(Api api, Map<String, Object> plan) {
    Api.Response r = api.post("/api/v1/plans", plan);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r;
  }

  private static String start(Api api, String plan, List<Api.Response> responses) {
    Api.Response r =
        api.post("/api/v1/rollouts", Map.of("plan", plan, "canary", Map.of("version", "2")));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    responses.add(r);
    return r.json().path("id").asString();
  }

  private static Reply verified(
      TextHttpServer.Recorded request, String secret, List<String> badSignatures) {
    String expected = "sha256=" + WebhookSender.hmac(secret, request.body());
    if (!expected.equals(request.header("X-Aviary-Signature"))) {
      badSignatures.add(request.path() + " " + request.header("X-Aviary-Signature"));
      return new Reply(401, "text/plain", "bad signature");
    }
    return Reply.ok("application/json", "{}");
  }

  /** Every row of every table, as text; bytea columns (Quartz's job data) show as hex. */
  private static String dump(TestPostgres.Database db) throws Exception {
    StringBuilder all = new StringBuilder();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertThat(tables).contains("plan", "rollout", "rollout_event", "api_token");
      for (String table : tables) {
        try (ResultSet rs = s.executeQuery("SELECT t::text FROM \"" + table + "\" t")) {
          while (rs.next()) {
            all.append(rs.getString(1)).append('\n');
          }
        }
      }
    }
    return all.toString();
  }

  private static void assertNoSecret(String text, String where) {
    for (String secret : PLANTED) {
      assertThat(text).as(where + " holds " + secret).doesNotContain(secret);
      String hex = HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8));
      assertThat(text.toLowerCase(java.util.Locale.ROOT))
          .as(where + " holds " + secret + " as hex")
          .doesNotContain(hex);
    }
  }
}
