package dev.aviary.controller.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.controller.rollout.Phase;
import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Health, metrics, OpenAPI, and the schema as Flyway (alone) made it. */
@AviaryIntegrationTest
class OperationsIT {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  @Value("${spring.jpa.hibernate.ddl-auto}")
  String ddlAuto;

  @Test
  void livenessAndReadinessIncludingTheDatabaseAreUp() {
    Api api = new Api(port);
    assertThat(api.get("/actuator/health/liveness").json().path("status").asString())
        .isEqualTo("UP");
    Api.Response readiness = api.get("/actuator/health/readiness");
    assertThat(readiness.json().path("status").asString()).isEqualTo("UP");
    assertThat(
            api.get("/actuator/health")
                .json()
                .path("components")
                .path("db")
                .path("status")
                .asString())
        .isEqualTo("UP");
  }

  @Test
  void exposesPrometheusMetrics() {
    Api.Response metrics = new Api(port).get("/actuator/prometheus");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.text()).contains("jvm_memory_used_bytes").contains("http_server_requests");
  }

  @Test
  void exportsRolloutsByPhaseAndAnalysisOutcomes() {
    org.awaitility.Awaitility.await("aviary_rollouts matches the database")
        .atMost(java.time.Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              String text = new Api(port).get("/actuator/prometheus").text();
              for (String phase : List.of("SUCCEEDED", "ROLLED_BACK", "PROGRESSING")) {
                long inDatabase =
                    jdbc.sql("SELECT count(*) FROM rollout WHERE phase = :p")
                        .param("p", phase)
                        .query(Long.class)
                        .single();
                assertThat(sample(text, "aviary_rollouts", "phase=\"" + phase + "\""))
                    .as(phase)
                    .isEqualTo((double) inDatabase);
              }
              assertThat(text)
                  .contains("aviary_analysis_runs_total{")
                  .contains("outcome=\"SUCCESS\"");
            });
  }

  private static double sample(String text, String name, String label) {
    return text.lines()
        .filter(l -> l.startsWith(name + "{") && l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " with " + label + " is missing"));
  }

  /**
   * docs/openapi.json is the OpenAPI document the controller serves, kept in the repository for
   * readers without a running controller. Regenerate it with {@code -Daviary.write-openapi=true}.
   */
  @Test
  void theCommittedOpenApiDocumentIsTheServedOne() throws Exception {
    tools.jackson.databind.json.JsonMapper json =
        tools.jackson.databind.json.JsonMapper.builder()
            .enable(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT)
            .build();
    tools.jackson.databind.node.ObjectNode served =
        (tools.jackson.databind.node.ObjectNode) new Api(port).get("/v3/api-docs").json();
    served.remove("servers");
    String rendered = json.writeValueAsString(served) + "\n";
    java.nio.file.Path file = java.nio.file.Path.of("..", "docs", "openapi.json");
    if (Boolean.getBoolean("aviary.write-openapi")) {
      java.nio.file.Files.writeString(file, rendered);
    }
    assertThat(java.nio.file.Files.readString(file))
        .as("docs/openapi.json is stale: regenerate with -Daviary.write-openapi=true")
        .isEqualTo(rendered);
  }

  @Test
  void publishesTheOpenApiDocumentAndSwaggerUi() {
    Api api = new Api(port);
    Api.Response doc = api.get("/v3/api-docs");
    assertThat(doc.status()).isEqualTo(200);
    assertThat(doc.json().path("paths").has("/api/v1/plans")).isTrue();
    assertThat(doc.json().path("paths").has("/api/v1/plans/{name}/revisions")).isTrue();
    assertThat(api.get("/swagger-ui/index.html").status()).isEqualTo(200);
  }

  @Test
  void theRootIsTheDashboardAndInfoShowsTheVersionThatRuns() {
    Api anonymous = new Api(port).anonymous();
    Api.Response root = anonymous.get("/");
    assertThat(root.status()).isEqualTo(200);
    assertThat(root.header("Content-Type")).startsWith("text/html");
    assertThat(root.text()).contains("<script type=\"module\" src=\"/assets/app.js\">");
    assertThat(root.header("Content-Security-Policy")).contains("script-src 'self'");
    assertThat(anonymous.get("/webjars/chart.js/4.4.1/dist/chart.umd.js").status()).isEqualTo(200);
    Api.Response info = anonymous.get("/actuator/info");
    assertThat(info.status()).isEqualTo(200);
    assertThat(info.json().path("build").path("version").asString()).isNotBlank();
    assertThat(info.json().path("build").path("artifact").asString()).isEqualTo("controller-app");
  }

  @Test
  void theSchemaComesFromFlywayAndTheAppValidatesAgainstIt() {
    assertThat(ddlAuto).isEqualTo("validate");
    List<String> applied =
        jdbc.sql("SELECT script FROM flyway_schema_history WHERE success ORDER BY installed_rank")
            .query(String.class)
            .list();
    assertThat(applied)
        .startsWith("V1__quartz_tables.sql", "V2__plans.sql", "V3__dry_run_router.sql");
    List<String> quartzTables =
        jdbc.sql(
                "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'qrtz_%' ORDER BY 1")
            .query(String.class)
            .list();
    assertThat(quartzTables)
        .hasSize(11)
        .contains("qrtz_locks", "qrtz_scheduler_state", "qrtz_triggers");
    Integer instances =
        jdbc.sql("SELECT count(*) FROM qrtz_scheduler_state").query(Integer.class).single();
    assertThat(instances)
        .as("clustered Quartz checks in to the shared table")
        .isGreaterThanOrEqualTo(1);
  }

  /** The phases are written once, in {@link Phase}: the database's constraints must agree. */
  @Test
  void theDatabaseKnowsTheSamePhasesAsTheCode() {
    String oneActive =
        jdbc.sql("SELECT indexdef FROM pg_indexes WHERE indexname = 'rollout_one_active_per_plan'")
            .query(String.class)
            .single();
    assertThat(quoted(oneActive))
        .as("the partial unique index allows one rollout per plan in Phase.ACTIVE")
        .containsExactlyInAnyOrderElementsOf(Phase.ACTIVE.stream().map(Phase::name).toList());
    String allowed =
        jdbc.sql(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname ="
                    + " 'rollout_phase'")
            .query(String.class)
            .single();
    assertThat(quoted(allowed))
        .containsExactlyInAnyOrderElementsOf(
            java.util.Arrays.stream(Phase.values()).map(Phase::name).toList());
  }

  private static java.util.Set<String> quoted(String sql) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("'([A-Z_]+)'").matcher(sql);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
