package dev.aviary.controller.platform.db;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.support.Api;
import dev.aviary.testing.ControllerProcess;
import dev.aviary.testing.FreePorts;
import dev.aviary.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The embedded database, as the quickstart runs it, in a controller of its own: what it
 * acknowledged survives its PostgreSQL being killed mid-write, a dead database makes the controller
 * exit for its supervisor to restart (not linger answering errors), a second controller on the same
 * directory is refused without harming the first, the database takes a password on loopback only,
 * and a stop (SIGTERM) is orderly: streams ended, the database stopped last, no errors.
 */
class EmbeddedDatabaseIT {

  private static Map<String, String> properties(Path dir, int dbPort) {
    return Map.of(
        "aviary.embedded-db.dir", dir.resolve("pg").toString(),
        "aviary.embedded-db.port", String.valueOf(dbPort),
        "aviary.security.bootstrap-token-file", dir.resolve("admin-token").toString());
  }

  private static String show(Connection c, String setting) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SHOW " + setting)) {
      r.next();
      return r.getString(1);
    }
  }

  @Test
  void acknowledgedWritesSurviveItsDatabaseDyingAndASecondControllerIsRefused() throws Exception {
    Path dir = Files.createTempDirectory("aviary-embedded-db");
    int dbPort = FreePorts.next();
    String jdbc = "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres";
    List<String> acknowledged = new CopyOnWriteArrayList<>();
    try (ControllerProcess first =
        ControllerProcess.start(FreePorts.next(), properties(dir, dbPort), dir, "first")) {
      Api api = new Api(first.port());

      // a password, kept from everyone but its owner; durable settings
      Path passwordFile = dir.resolve("pg.password");
      assertThat(Files.getPosixFilePermissions(passwordFile))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      String password = Files.readString(passwordFile).strip();
      assertThatThrownBy(() -> DriverManager.getConnection(jdbc, "postgres", "").close())
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> DriverManager.getConnection(jdbc, "postgres", "postgres").close())
          .isInstanceOf(SQLException.class);
      try (Connection c = DriverManager.getConnection(jdbc, "postgres", password)) {
        assertThat(show(c, "fsync")).isEqualTo("on");
        assertThat(show(c, "synchronous_commit")).isEqualTo("on");
        assertThat(show(c, "full_page_writes")).isEqualTo("on");
        assertThat(show(c, "unix_socket_directories")).isEmpty();
      }

      // a second controller on the same directory is refused, and the first goes on
      assertThatThrownBy(
              () ->
                  ControllerProcess.start(FreePorts.next(), properties(dir, dbPort), dir, "second")
                      .close())
          .hasMessageContaining("in use by another Aviary controller");
      assertThat(api.post("/api/v1/plans", aPlan("still-here").withWeights(100).build()).status())
          .isEqualTo(201);
      acknowledged.add("still-here");

      // writes while the database is killed: every acknowledged one must survive
      AtomicBoolean stop = new AtomicBoolean();
      Thread writer =
          new Thread(
              () -> {
                for (int i = 0; !stop.get() && i < 10_000; i++) {
                  String name = "written-" + i;
                  try {
                    if (api.post("/api/v1/plans", aPlan(name).withWeights(100).build()).status()
                        == 201) {
                      acknowledged.add(name);
                    }
                  } catch (RuntimeException e) {
                    return; // the controller is gone
                  }
                }
              });
      writer.start();
      await("40 acknowledged writes")
          .atMost(Duration.ofSeconds(60))
          .until(() -> acknowledged.size() >= 40);
      long postmaster =
          Long.parseLong(Files.readAllLines(dir.resolve("pg").resolve("postmaster.pid")).get(0));
      ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();
      assertThat(first.waitForExit(Duration.ofSeconds(60)))
          .as("the controller exits when its database dies")
          .isEqualTo(70);
      stop.set(true);
      writer.join(30_000);
      assertThat(first.output()).contains("died; exiting with status 70");
    }

    try (ControllerProcess again =
        ControllerProcess.start(FreePorts.next(), properties(dir, dbPort), dir, "again")) {
      Api api = new Api(again.port()).withToken(TestTokens.ADMIN);
      for (String name : acknowledged) {
        assertThat(api.get("/api/v1/plans/" + name).status()).as(name).isEqualTo(200);
      }
      stoppingIsOrderlyWithAClientFollowingARollout(again, api, dir);
    }
  }

  /**
   * SIGTERM (Ctrl-C, a supervisor's stop) with a client following a rollout: the event stream is
   * ended by the server, not cut; the database stops after everything that used it, so nothing
   * fails on the way out; and the controller does not sit out the web server's grace period.
   */
  private static void stoppingIsOrderlyWithAClientFollowingARollout(
      ControllerProcess controller, Api api, Path dir) throws Exception {
    assertThat(
            api.post(
                    "/api/v1/plans",
                    aPlan("held")
                        .withWeights(10)
                        .withStep(Map.of("pause", Map.of("duration", "1h")))
                        .build())
                .status())
        .isEqualTo(201);
    String id =
        api.post("/api/v1/rollouts", Map.of("plan", "held", "canary", Map.of("version", "v2")))
            .json()
            .path("id")
            .asString();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<Stream<String>> stream =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(controller.url() + "/api/v1/rollouts/" + id + "/events/stream"))
                .header("Authorization", "Bearer " + TestTokens.ADMIN)
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(stream.statusCode()).isEqualTo(200);
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> read =
        CompletableFuture.runAsync(() -> stream.body().forEach(lines::add));
    await("the pause step reached")
        .atMost(Duration.ofSeconds(60))
        .until(() -> lines.stream().anyMatch(l -> l.contains("\"toPhase\":\"PAUSED\"")));

    long started = System.nanoTime();
    controller.terminate();
    // the stream ends cleanly (a cut connection fails the read) before the controller has gone
    read.get(60, TimeUnit.SECONDS);
    int status = controller.waitForExit(Duration.ofSeconds(90));
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("stopped with a client following a rollout in %d ms%n", tookMs);
    assertThat(status).as("the JVM's status after SIGTERM").isEqualTo(143);
    String log = controller.output();
    String afterStop = log.substring(Math.max(0, log.lastIndexOf("Started AviaryApplication")));
    assertThat(afterStop.lines().filter(l -> l.startsWith("\tat ") || l.contains(" ERROR ")))
        .as("stack traces or errors while stopping:\n%s", afterStop)
        .isEmpty();
    assertThat(afterStop).doesNotContain("terminating connection due to administrator command");
    assertThat(dir.resolve("pg").resolve("postmaster.pid"))
        .as("the embedded PostgreSQL shut down cleanly")
        .doesNotExist();
  }
}
