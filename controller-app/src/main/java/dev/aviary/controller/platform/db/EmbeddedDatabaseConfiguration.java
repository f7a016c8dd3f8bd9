package dev.aviary.controller.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Zero-configuration start: when no database is configured, run a real PostgreSQL (zonky's embedded
 * binaries) whose data lives in {@code aviary.embedded-db.dir} (default {@code ./.aviary/pg}), so
 * that a restart loses nothing. Meant for trying Aviary and for one instance; several replicas need
 * a shared PostgreSQL.
 *
 * <p>What it promises: an acknowledged write is on disk ({@code fsync} and {@code
 * synchronous_commit} on, whatever the embedded defaults); one controller per data directory (a
 * lock file next to it, {@code <dir>.lock}, held while the controller runs: a second is refused
 * before it touches anything); password authentication on a loopback-only listener, no Unix socket
 * (the password, random, in {@code <dir>.password}, readable by its owner only); and if the
 * database dies under the controller, the controller exits (status 70) so that its supervisor
 * restarts both, rather than answering every call with errors.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDatabaseConfigured.class)
class EmbeddedDatabaseConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

  /** The exit status when the embedded database died: EX_SOFTWARE. */
  static final int DATABASE_DIED = 70;

  /** The embedded database with what keeps it: the directory lock and the watch on its process. */
  static final class Embedded implements AutoCloseable {
    final EmbeddedPostgres pg;
    final String password;
    private final FileChannel lockChannel;
    private volatile boolean closing;

    Embedded(EmbeddedPostgres pg, String password, FileChannel lockChannel) {
      this.pg = pg;
      this.password = password;
      this.lockChannel = lockChannel;
    }

    /** Exits the controller when the postmaster dies while it was not being closed. */
    void watch(Path dataDir) {
      postmaster(dataDir)
          .ifPresent(
              process -> {
                CompletableFuture<Void> unused =
                    process
                        .onExit()
                        .thenRun(
                            () -> {
                              if (!closing) {
                                LOG.error(
                                    "The embedded PostgreSQL (pid {}) in {} died; exiting with"
                                        + " status {} so that a supervisor restarts the controller"
                                        + " and its database",
                                    process.pid(),
                                    dataDir,
                                    DATABASE_DIED);
                                System.exit(DATABASE_DIED);
                              }
                            });
              });
    }

    @Override
    public void close() throws IOException {
      closing = true;
      try {
        pg.close();
      } finally {
        lockChannel.close(); // releases the directory lock
      }
    }
  }

  @Bean(destroyMethod = "close")
  Embedded embeddedPostgres(
      @Value("${aviary.embedded-db.dir:./.aviary/pg}") String dir,
      @Value("${aviary.embedded-db.port:0}") int port) {
    Path dataDir = Path.of(dir).toAbsolutePath().normalize();
    FileChannel lock = null;
    try {
      Files.createDirectories(dataDir.getParent());
      lock = lock(dataDir);
      OrphanedPostgres.reclaim(dataDir);
      Path passwordFile = dataDir.resolveSibling(dataDir.getFileName() + ".password");
      boolean fresh = !Files.exists(dataDir.resolve("PG_VERSION"));
      boolean protectedBefore = Files.exists(passwordFile);
      String password = protectedBefore ? Files.readString(passwordFile).strip() : newPassword();
      if (!protectedBefore) {
        writeOwnerOnly(passwordFile, password);
      }
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              // stopped by the context, after everything that uses it: the library's own JVM
              // shutdown hook would stop it in parallel with the controller's graceful shutdown
              .setRegisterShutdownHook(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              // durable: an acknowledged commit is on disk (the embedded defaults trade that away)
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              // reachable from this host over TCP only, with a password
              .setServerConfig("listen_addresses", "localhost")
              .setServerConfig("unix_socket_directories", "")
              .setServerConfig("password_encryption", "scram-sha-256")
              .setConnectConfig("password", password);
      if (fresh) {
        builder.setLocaleConfig("pwfile", passwordFile.toString());
      }
      if (fresh || protectedBefore) {
        builder.setDataDirectoryCustomizer(d -> writeHba(d.toPath()));
      }
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedPostgres pg = builder.start();
      if (!fresh && !protectedBefore) {
        protectExisting(pg, dataDir, password);
      }
      Embedded embedded = new Embedded(pg, password, lock);
      embedded.watch(dataDir);
      LOG.info(
          "No database configured (AVIARY_DB_URL or spring.datasource.url): started an embedded"
              + " PostgreSQL on localhost:{} with its data in {}",
          pg.getPort(),
          dataDir);
      return embedded;
    } catch (IOException e) {
      closeQuietly(lock);
      throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDir, e);
    } catch (RuntimeException e) {
      closeQuietly(lock);
      throw e;
    }
  }

  @Bean(destroyMethod = "close")
  HikariDataSource dataSource(Embedded embedded) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:postgresql://localhost:" + embedded.pg.getPort() + "/postgres");
    config.setUsername("postgres");
    config.setPassword(embedded.password);
    config.setMaximumPoolSize(20);
    config.setConnectionTimeout(5_000); // a dead database is an error in seconds, not a hang
    config.setPoolName("aviary-embedded");
    return new HikariDataSource(config);
  }

  /**
   * Takes the data directory's lock, {@code <dir>.lock}: a second controller on the same directory
   * is refused here, before anything of the first one's is touched. The lock dies with the process
   * that holds it, so a controller killed with SIGKILL leaves none behind.
   */
  static FileChannel lock(Path dataDir) throws IOException {
    Path lockFile = dataDir.resolveSibling(dataDir.getFileName() + ".lock");
    FileChannel channel =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock held;
    try {
      held = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      held = null;
    }
    if (held == null) {
      channel.close();
      throw new IllegalStateException(
          "the embedded database in "
              + dataDir
              + " is in use by another Aviary controller (it holds "
              + lockFile
              + "); stop it first, or point aviary.embedded-db.dir (AVIARY_EMBEDDED_DB_DIR)"
              + " elsewhere");
    }
    return channel;
  }

  /** Only the superuser, over TCP from this host, with its password. */
  private static void writeHba(Path dataDir) {
    try {
      Files.writeString(
          dataDir.resolve("pg_hba.conf"),
          """
          # written by Aviary: password authentication, loopback only
          host all all 127.0.0.1/32 scram-sha-256
          host all all ::1/128 scram-sha-256
          """,
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pg_hba.conf in " + dataDir, e);
    }
  }

  /** A data directory from before passwords: set one, then require it. */
  private static void protectExisting(EmbeddedPostgres pg, Path dataDir, String password) {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("ALTER USER postgres PASSWORD '" + password + "'"); // [A-Za-z0-9_-] only
      writeHba(dataDir);
      s.execute("SELECT pg_reload_conf()");
      LOG.info("The embedded PostgreSQL in {} now requires a password", dataDir);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot set the embedded PostgreSQL's password", e);
    }
  }

  private static Optional<ProcessHandle> postmaster(Path dataDir) {
    try {
      String first = Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip();
      return ProcessHandle.of(Long.parseLong(first));
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot find the embedded PostgreSQL's process to watch: {}", e.toString());
      return Optional.empty();
    }
  }

  private static String newPassword() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void writeOwnerOnly(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, content + "\n");
  }

  private static void closeQuietly(@Nullable FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("closing the lock file failed", e);
      }
    }
  }
}
