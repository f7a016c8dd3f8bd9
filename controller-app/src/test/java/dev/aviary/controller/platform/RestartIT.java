package dev.aviary.controller.platform;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.controller.AviaryApplication;
import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.TestDatabaseInitializer;
import dev.aviary.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A plan outlives the controller: against an external database, and against the embedded one. */
class RestartIT {

  /** Starts the controller; properties go in as command-line arguments, as an operator's would. */
  private static ConfigurableApplicationContext start(Map<String, Object> properties) {
    Map<String, Object> all = new HashMap<>(properties);
    all.put("server.port", 0);
    String[] args =
        all.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    return new SpringApplicationBuilder(AviaryApplication.class).run(args);
  }

  private static Api api(ConfigurableApplicationContext context) {
    return new Api(((WebServerApplicationContext) context).getWebServer().getPort());
  }

  @Test
  void aPlanSurvivesARestartOnTheSameDatabase() {
    Map<String, Object> db = TestDatabaseInitializer.properties(TestPostgres.newDatabase());
    try (ConfigurableApplicationContext first = start(db)) {
      assertThat(
              api(first)
                  .post("/api/v1/plans", aPlan("survivor").withWeights(10, 100).build())
                  .status())
          .isEqualTo(201);
    }
    try (ConfigurableApplicationContext second = start(db)) {
      Api.Response read = api(second).get("/api/v1/plans/survivor");
      assertThat(read.status()).isEqualTo(200);
      assertThat(read.header("ETag")).isEqualTo("\"1\"");
    }
  }

  @Test
  void withNoDatabaseConfiguredItRunsAnEmbeddedPostgresWhoseDataOutlivesARestart()
      throws Exception {
    Path dir = Files.createTempDirectory("aviary-embedded-it");
    Map<String, Object> embedded = Map.of("aviary.embedded-db.dir", dir.toString());
    try (ConfigurableApplicationContext first = start(embedded)) {
      assertThat(first.getEnvironment().getProperty("spring.datasource.url")).isNull();
      assertThat(
              api(first).post("/api/v1/plans", aPlan("embedded").withWeights(100).build()).status())
          .isEqualTo(201);
    }
    assertThat(dir.resolve("PG_VERSION")).exists();
    try (ConfigurableApplicationContext second = start(embedded)) {
      assertThat(api(second).get("/api/v1/plans/embedded").status()).isEqualTo(200);
    }
  }
}
