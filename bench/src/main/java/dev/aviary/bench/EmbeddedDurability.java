package dev.aviary.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What durable commits cost the embedded database: the same small committed writes (a row of 1 KiB,
 * as a plan revision or a rollout event is) against PostgreSQL with the embedded defaults ({@code
 * fsync} and {@code synchronous_commit} off) and with the settings the controller now uses (both
 * on), from one writer and from eight at once (where commits share their flushes). Run by hand:
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.aviary.bench.EmbeddedDurability [--writes 2000]
 * </pre>
 */
public final class EmbeddedDurability {

  private EmbeddedDurability() {}

  public static void main(String[] args) throws Exception {
    int writes = args.length == 2 && args[0].equals("--writes") ? Integer.parseInt(args[1]) : 2000;
    System.out.println(
        "| settings | writers | commits/s | commit p50 ms | commit p99 ms |\n|---|---:|---:|---:|---:|");
    for (boolean durable : new boolean[] {false, true}) {
      Path dir = Files.createTempDirectory("aviary-durability");
      EmbeddedPostgres.Builder b =
          EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true);
      if (durable) {
        b.setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on");
      }
      try (EmbeddedPostgres pg = b.start()) {
        try (Connection c = pg.getPostgresDatabase().getConnection();
            Statement s = c.createStatement()) {
          s.execute("CREATE TABLE w (id bigserial PRIMARY KEY, body text NOT NULL)");
        }
        for (int writers : new int[] {1, 8}) {
          run(pg, durable, writers, writes);
        }
      }
    }
  }

  private static void run(EmbeddedPostgres pg, boolean durable, int writers, int writes)
      throws Exception {
    String body = "x".repeat(1024);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<long[]>> done = new ArrayList<>();
    long start = System.nanoTime();
    for (int w = 0; w < writers; w++) {
      done.add(
          pool.submit(
              () -> {
                long[] nanos = new long[writes / writers];
                try (Connection c = pg.getPostgresDatabase().getConnection();
                    PreparedStatement p = c.prepareStatement("INSERT INTO w (body) VALUES (?)")) {
                  c.setAutoCommit(true);
                  for (int i = 0; i < nanos.length; i++) {
                    long t = System.nanoTime();
                    p.setString(1, body);
                    p.executeUpdate();
                    nanos[i] = System.nanoTime() - t;
                  }
                }
                return nanos;
              }));
    }
    List<Long> all = new ArrayList<>();
    for (Future<long[]> f : done) {
      for (long n : f.get()) {
        all.add(n);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    long[] sorted = all.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "| %s | %d | %,.0f | %.2f | %.2f |%n",
        durable ? "fsync + synchronous_commit on (now)" : "embedded defaults (before)",
        writers,
        sorted.length / seconds,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) (sorted.length * 0.99)] / 1e6);
  }
}
