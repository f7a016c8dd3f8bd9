package dev.aviary.controller.platform.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller killed with SIGKILL leaves its embedded PostgreSQL running and holding the data
 * directory. Before the next start, stop that orphan. Called only with the directory's lock held
 * ({@link EmbeddedDatabaseConfiguration#lock}), so no live controller owns a PostgreSQL found
 * there: a postmaster's parent says nothing (pg_ctl daemonises it, to PID 1).
 */
final class OrphanedPostgres {

  private static final Logger LOG = LoggerFactory.getLogger(OrphanedPostgres.class);
  private static final Duration GRACE = Duration.ofSeconds(30);

  private OrphanedPostgres() {}

  static void reclaim(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty()) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return;
    }
    Optional<ProcessHandle> postgres = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (postgres.isEmpty() || !postgres.get().info().command().orElse("").contains("postgres")) {
      return; // a stale lock file: PostgreSQL itself deals with it
    }
    LOG.warn(
        "Stopping the embedded PostgreSQL (pid {}) a previous controller left running in {}",
        pid,
        dataDir);
    postgres.get().destroy();
    try {
      if (!postgres.get().onExit().get(GRACE.toSeconds(), TimeUnit.SECONDS).isAlive()) {
        return;
      }
    } catch (java.util.concurrent.TimeoutException e) {
      LOG.warn(
          "PostgreSQL (pid {}) did not stop within {}; killing it (it recovers from its WAL)",
          pid,
          GRACE);
      postgres.get().destroyForcibly();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("waiting for PostgreSQL (pid " + pid + ") to stop failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping PostgreSQL (pid " + pid + ")", e);
    }
  }
}
