package dev.aviary.controller.platform;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.controller.AviaryApplication;
import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.TestDatabaseInitializer;
import dev.aviary.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A plan outlives the controller: against an external database, and against the embedded one. The
 * quickstart's first start generates an admin token, prints it once and writes it to a file.
 */
@ExtendWith(OutputCaptureExtension.class)
class RestartIT {

  /**
   * Starts the controller; properties go in as command-line arguments, as an operator's would. Its
   * Quartz scheduler gets a name of its own: Quartz keeps schedulers and their data sources in
   * JVM-wide registries by name, and these controllers share the JVM with the tests' shared one.
   */
  private static ConfigurableApplicationContext start(Map<String, Object> properties) {
    Map<String, Object> all = new HashMap<>(properties);
    all.put("server.port", 0);
    all.put("spring.quartz.scheduler-name", "restart-it-" + System.nanoTime());
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
    Map<String, Object> db =
        new HashMap<>(TestDatabaseInitializer.properties(TestPostgres.newDatabase()));
    db.put("aviary.security.bootstrap-token", dev.aviary.testing.TestTokens.ADMIN);
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
  void
      withNoDatabaseConfiguredItRunsAnEmbeddedPostgresWhoseDataOutlivesARestartAndALostTokenIsReplaced(
          CapturedOutput output) throws Exception {
    Path dir = Files.createTempDirectory("aviary-embedded-it");
    Path tokenFile = dir.resolveSibling(dir.getFileName() + "-token").resolve("admin-token");
    Map<String, Object> embedded =
        Map.of(
            "aviary.embedded-db.dir",
            dir.toString(),
            "aviary.security.bootstrap-token-file",
            tokenFile.toString());
    String token;
    try (ConfigurableApplicationContext first = start(embedded)) {
      assertThat(first.getEnvironment().getProperty("spring.datasource.url")).isNull();
      token = Files.readString(tokenFile).strip();
      assertThat(token).startsWith("avy_").hasSizeGreaterThan(40);
      assertThat(Files.getPosixFilePermissions(tokenFile))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(api(first).anonymous().get("/api/v1/plans").status()).isEqualTo(401);
      assertThat(
              api(first)
                  .withToken(token)
                  .post("/api/v1/plans", aPlan("embedded").withWeights(100).build())
                  .status())
          .isEqualTo(201);
    }
    assertThat(dir.resolve("PG_VERSION")).exists();
    try (ConfigurableApplicationContext second = start(embedded)) {
      assertThat(api(second).withToken(token).get("/api/v1/plans/embedded").status())
          .isEqualTo(200);
    }
    // printed on the first start only, never again
    assertThat(output.getAll().split(java.util.regex.Pattern.quote(token), -1)).hasSize(2);

    // the token and its file are lost: a start with a token of one's choosing recovers, and the
    // lost one stops working (docs/troubleshooting.md)
    Files.delete(tokenFile);
    String chosen = "avy_" + "recovered".repeat(5);
    Map<String, Object> recovering = new HashMap<>(embedded);
    recovering.put("aviary.security.bootstrap-token", chosen);
    try (ConfigurableApplicationContext third = start(recovering)) {
      assertThat(api(third).withToken(chosen).get("/api/v1/plans/embedded").status())
          .isEqualTo(200);
      assertThat(api(third).withToken(token).get("/api/v1/plans/embedded").status())
          .as("the lost token is revoked")
          .isEqualTo(401);
    }
  }
}
