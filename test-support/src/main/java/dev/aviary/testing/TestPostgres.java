package dev.aviary.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Where every test's PostgreSQL comes from, decided in this one place: a Testcontainers container
 * when a Docker engine answers, otherwise an embedded PostgreSQL (real binaries from Maven, zonky).
 * {@code AVIARY_TEST_DB=embedded|testcontainers} forces the choice. One server per test JVM; each
 * caller gets a fresh, empty database on it.
 */
public final class TestPostgres {

  /** How to reach one database. */
  public record Database(String jdbcUrl, String username, String password, String name) {}

  private static final Logger LOG = LoggerFactory.getLogger(TestPostgres.class);
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static Server server;

  private TestPostgres() {}

  /** A new empty database on the shared server. */
  public static synchronized Database newDatabase() {
    if (server == null) {
      server = startServer();
    }
    String name = "aviary_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    try (Connection c =
            DriverManager.getConnection(server.adminUrl(), server.username(), server.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return new Database(server.urlFor(name), server.username(), server.password(), name);
  }

  /** Which kind of server this JVM uses: {@code embedded} or {@code testcontainers}. */
  public static synchronized String kind() {
    if (server == null) {
      server = startServer();
    }
    return server.kind();
  }

  private static Server startServer() {
    String forced = System.getenv().getOrDefault("AVIARY_TEST_DB", "").toLowerCase(Locale.ROOT);
    boolean docker =
        forced.equals("testcontainers") || (!forced.equals("embedded") && dockerAvailable());
    Server s = docker ? containerServer() : embeddedServer();
    LOG.info("Tests use a {} PostgreSQL at {}", s.kind(), s.adminUrl());
    return s;
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  @SuppressWarnings("resource") // stopped by the shutdown hook
  private static Server containerServer() {
    PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
    container.start();
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
    String base = container.getJdbcUrl();
    String prefix = base.substring(0, base.lastIndexOf('/') + 1);
    return new Server(
        "testcontainers", base, prefix, container.getUsername(), container.getPassword());
  }

  private static Server embeddedServer() {
    try {
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(Files.createTempDirectory("aviary-test-pg"))
              .setCleanDataDirectory(true)
              .setServerConfig("max_connections", "300")
              .setServerConfig("fsync", "off")
              .setServerConfig("synchronous_commit", "off")
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(pg)));
      String prefix = "jdbc:postgresql://localhost:" + pg.getPort() + "/";
      return new Server("embedded", prefix + "postgres", prefix, "postgres", "postgres");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  private static void closeQuietly(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException ignored) {
      // the JVM is exiting
    }
  }

  private record Server(
      String kind, String adminUrl, String urlPrefix, String username, String password) {
    String urlFor(String database) {
      return urlPrefix + database;
    }
  }
}
