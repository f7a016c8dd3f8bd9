package dev.aviary.bench;

import dev.aviary.testing.ControllerProcess;
import dev.aviary.testing.FreePorts;
import dev.aviary.testing.TestPostgres;
import dev.aviary.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/v1/rollouts} under load with many rollouts stored. A fresh database, the packaged
 * controller as a process, N plans with one finished rollout each (dry-run router, one step), then
 * an open-loop load: requests are <em>scheduled</em> at a fixed rate over up to C connections, and
 * each latency is measured from when its request was due, so a slow server is not hidden by a
 * client that waits for it (no coordinated omission).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.aviary.bench.ListLoadHarness \
 *     --rollouts 10000 --rate 500 --connections 200 --measure 60s
 * </pre>
 */
public final class ListLoadHarness {

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = CapacityHarness.options(args);
    int n = Integer.parseInt(opts.getOrDefault("rollouts", "10000"));
    List<Integer> rates = new ArrayList<>();
    for (String r : opts.getOrDefault("rate", "500").split(",", -1)) {
      rates.add(Integer.parseInt(r.trim()));
    }
    int connections = Integer.parseInt(opts.getOrDefault("connections", "200"));
    Duration measure = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("measure", "60")));
    String query = opts.getOrDefault("query", "");
    Path logs = Files.createTempDirectory("aviary-list-load");
    TestPostgres.Database db = TestPostgres.newDatabase();
    Map<String, String> props = properties(db);
    props.putAll(extra(opts.getOrDefault("props", "")));
    try (ControllerProcess controller =
        ControllerProcess.start(FreePorts.next(), props, logs, "list-load")) {
      long created = System.nanoTime();
      createFinishedRollouts(controller.url(), n);
      System.out.printf(
          Locale.ROOT,
          "%d plans and rollouts created in %.0f s; logs in %s%n",
          n,
          (System.nanoTime() - created) / 1e9,
          logs);
      waitUntilIdle(controller.url(), n);
      String url = controller.url() + "/api/v1/rollouts" + (query.isEmpty() ? "" : "?" + query);
      System.out.println("warming up (15 s) on " + url + ", controller pid " + controller.pid());
      load(url, rates.get(0), connections, Duration.ofSeconds(15)); // JIT, pools, caches
      System.out.println(
          "| rate (req/s) | connections | requests | non-200 | p50 | p90 | p99 | p99.9 | max |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      for (int rate : rates) {
        report(rate, connections, load(url, rate, connections, measure));
        Thread.sleep(5000); // let a backlog drain before the next rate
      }
      System.out.printf(
          Locale.ROOT,
          "(each rate measured over %d s after a 15 s warm-up)%n",
          measure.toSeconds());
    }
  }

  /** A quiet controller on {@code db} that takes as many writes as a harness makes. */
  static Map<String, String> properties(TestPostgres.Database db) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("spring.datasource.url", db.jdbcUrl());
    props.put("spring.datasource.username", db.username());
    props.put("spring.datasource.password", db.password());
    props.put("logging.level.root", "WARN");
    props.put("aviary.security.rate-limit.mutations-per-minute", "10000000");
    return props;
  }

  /** Every plan and rollout; each rollout sets 100 % on a dry-run router and is promoted. */
  static void createFinishedRollouts(String server, int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = "list-" + i;
      done.add(
          pool.submit(
              () -> {
                CapacityHarness.post(
                    server + "/api/v1/plans",
                    Map.of(
                        "name",
                        name,
                        "labels",
                        Map.of("team", "t" + (name.hashCode() & 7)),
                        "router",
                        Map.of("type", "dry-run"),
                        "steps",
                        List.of(Map.of("setWeight", 100))));
                CapacityHarness.post(
                    server + "/api/v1/rollouts",
                    Map.of("plan", name, "canary", Map.of("version", "2.0." + name.length())));
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
  }

  static void waitUntilIdle(String server, int n) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 600; i++) {
      String body =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create(server + "/api/v1/rollouts?phase=SUCCEEDED&size=1"))
                      .header("Authorization", "Bearer " + TestTokens.ADMIN)
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      if (body.contains("\"totalItems\":" + n)) {
        return;
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("the rollouts did not all succeed within 10 minutes");
  }

  /**
   * Sends {@code rate} requests a second for {@code duration}, at most {@code connections} at once;
   * answers the latencies in microseconds (from when each request was due), then the count of
   * answers that were not 200.
   */
  private static long[] load(String url, int rate, int connections, Duration duration)
      throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(4))
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + TestTokens.ADMIN)
            .timeout(Duration.ofSeconds(30))
            .build();
    Semaphore open = new Semaphore(connections);
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger failed = new AtomicInteger();
    long total = rate * duration.toSeconds();
    long start = System.nanoTime();
    long period = 1_000_000_000L / rate;
    for (long i = 0; i < total; i++) {
      long due = start + i * period;
      long sleep = due - System.nanoTime();
      if (sleep > 0) {
        TimeUnit.NANOSECONDS.sleep(sleep);
      }
      open.acquire(); // waiting here counts: the latency runs from `due`
      var unused =
          http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
              .whenComplete(
                  (r, e) -> {
                    latencies.add((System.nanoTime() - due) / 1000);
                    if (e != null || r.statusCode() != 200) {
                      failed.incrementAndGet();
                    }
                    open.release();
                  });
    }
    open.acquire(connections);
    open.release(connections);
    long[] all = new long[latencies.size() + 1];
    int k = 0;
    for (long l : latencies) {
      all[k++] = l;
    }
    all[k] = failed.get();
    return all;
  }

  private static void report(int rate, int connections, long[] result) {
    long failed = result[result.length - 1];
    long[] l = Arrays.copyOf(result, result.length - 1);
    Arrays.sort(l);
    System.out.printf(
        Locale.ROOT,
        "| %d | %d | %d | %d | %s | %s | %s | %s | %s |%n",
        rate,
        connections,
        l.length,
        failed,
        ms(l, 0.5),
        ms(l, 0.9),
        ms(l, 0.99),
        ms(l, 0.999),
        ms(l, 1.0));
  }

  private static String ms(long[] sorted, double q) {
    if (sorted.length == 0) {
      return "-";
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return String.format(Locale.ROOT, "%.1f ms", sorted[Math.max(0, i)] / 1000.0);
  }

  private static Map<String, String> extra(String props) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : props.split(",", -1)) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        m.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return m;
  }

  private ListLoadHarness() {}
}
