package dev.aviary.bench;

import dev.aviary.testing.ControllerProcess;
import dev.aviary.testing.FreePorts;
import dev.aviary.testing.TestPostgres;
import dev.aviary.testing.TextHttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.json.JsonMapper;

/**
 * How many active rollouts one controller holds. For each N: a fresh database, the packaged
 * controller as a process, N plans (dry-run router, a web metric served here) and N rollouts held
 * in a long analysis step, so that every rollout is judged every interval. After a warm-up it
 * measures, over a window, the tick lag (how late each tick ran after it was due) from the
 * controller's own histogram, the controller's CPU and memory, and the machine's CPU.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.aviary.bench.CapacityHarness \
 *     --rollouts 250,500,1000,2000 --interval 10s --measure 60s --dispatchers 4
 * </pre>
 *
 * <p>With {@code --hanging H}, H more plans drive a webhook router at a server that accepts
 * connections and never answers: the lag the others see is what one hanging backend costs them.
 */
public final class CapacityHarness {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    List<Integer> levels = new ArrayList<>();
    for (String n : opts.getOrDefault("rollouts", "250,500,1000").split(",", -1)) {
      levels.add(Integer.parseInt(n.trim()));
    }
    Duration interval = seconds(opts.getOrDefault("interval", "10s"));
    Duration measure = seconds(opts.getOrDefault("measure", "60s"));
    String dispatchers = opts.getOrDefault("dispatchers", "4");
    int hanging = Integer.parseInt(opts.getOrDefault("hanging", "0"));
    Path logs = Files.createTempDirectory("aviary-capacity");
    System.out.printf(
        Locale.ROOT,
        "interval %ds, measure %ds, dispatchers %s, rollouts on a hanging router %d, logs in %s%n",
        interval.toSeconds(),
        measure.toSeconds(),
        dispatchers,
        hanging,
        logs);
    System.out.println(
        "| active rollouts | ticks/s | tick lag p50 | tick lag p99 | tick lag max | controller CPU (cores) | machine CPU (of 2) | controller RSS | heap used |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    try (TextHttpServer metric = new TextHttpServer();
        dev.aviary.testing.BlackHoleServer hole = new dev.aviary.testing.BlackHoleServer()) {
      metric.answer("/metric", TextHttpServer.Reply.ok("application/json", "{\"value\": 0.001}"));
      for (int n : levels) {
        System.out.println(
            level(n, hanging, hole.url("/weights"), interval, measure, dispatchers, metric, logs));
      }
    }
  }

  private static String level(
      int n,
      int hanging,
      String holeUrl,
      Duration interval,
      Duration measure,
      String dispatchers,
      TextHttpServer metric,
      Path logs)
      throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase();
    Map<String, String> props = new LinkedHashMap<>();
    props.put("spring.datasource.url", db.jdbcUrl());
    props.put("spring.datasource.username", db.username());
    props.put("spring.datasource.password", db.password());
    props.put("spring.datasource.hikari.maximum-pool-size", "30");
    props.put("aviary.scheduler.dispatchers", dispatchers);
    props.put("aviary.scheduler.poll-interval", "200ms");
    props.put(
        "spring.quartz.properties.org.quartz.threadPool.threadCount",
        String.valueOf(Integer.parseInt(dispatchers) + 2));
    props.put("logging.level.root", "WARN");
    // the harness creates thousands of plans and rollouts as one admin in a few seconds
    props.put("aviary.security.rate-limit.mutations-per-minute", "10000000");
    try (ControllerProcess controller =
        ControllerProcess.start(FreePorts.next(), props, logs, "capacity-" + n)) {
      createRollouts(controller.url(), n, interval, metric.url("/metric"), "cap-", null);
      createRollouts(controller.url(), hanging, interval, metric.url("/metric"), "hang-", holeUrl);
      // Warm-up: let every rollout reach its analysis step and the tick rhythm settle.
      Instant warm = Instant.now().plus(interval.multipliedBy(3));
      while (Instant.now().isBefore(warm)) {
        Thread.sleep(500);
      }
      Map<Double, Double> before = lagBuckets(controller.url());
      double ticksBefore = ticks(controller.url());
      long cpuBefore = processCpuTicks(controller.pid());
      long[] machineBefore = machineCpu();
      Instant start = Instant.now();
      Thread.sleep(measure.toMillis());
      double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
      Map<Double, Double> after = lagBuckets(controller.url());
      double ticks = ticks(controller.url()) - ticksBefore;
      double cores = (processCpuTicks(controller.pid()) - cpuBefore) / 100.0 / seconds;
      long[] machineAfter = machineCpu();
      double busy = machineAfter[0] - machineBefore[0];
      double total = machineAfter[1] - machineBefore[1];
      double machineCores = total == 0 ? 0 : 2 * busy / total;
      Map<Double, Double> window = new TreeMap<>();
      after.forEach((le, count) -> window.put(le, count - before.getOrDefault(le, 0.0)));
      return String.format(
          Locale.ROOT,
          "| %d | %.1f | %s | %s | %s | %.2f | %.2f | %d MiB | %d MiB |",
          n,
          ticks / seconds,
          fmt(quantile(window, 0.5)),
          fmt(quantile(window, 0.99)),
          fmt(maxBucket(window)),
          cores,
          machineCores,
          rssKib(controller.pid()) / 1024,
          (long) (heapUsed(controller.url()) / 1024 / 1024));
    }
  }

  private static void createRollouts(
      String server,
      int n,
      Duration interval,
      String metricUrl,
      String prefix,
      @org.jspecify.annotations.Nullable String webhook)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = prefix + i;
      Map<String, Object> router =
          webhook == null ? Map.of("type", "dry-run") : Map.of("type", "webhook", "url", webhook);
      done.add(
          pool.submit(
              () -> {
                Map<String, Object> plan =
                    Map.of(
                        "name",
                        name,
                        "router",
                        router,
                        "steps",
                        List.of(Map.of("setWeight", 10), Map.of("analysis", Map.of("count", 1000))),
                        "analysis",
                        Map.of(
                            "interval",
                            interval.toSeconds() + "s",
                            "metrics",
                            List.of(
                                Map.of(
                                    "name",
                                    "error-rate",
                                    "provider",
                                    Map.of("type", "web", "jsonPath", "$.value"),
                                    "query",
                                    metricUrl + "?v=${version}",
                                    "threshold",
                                    Map.of("max", 0.01)))));
                post(server + "/api/v1/plans", plan);
                post(
                    server + "/api/v1/rollouts",
                    Map.of("plan", name, "canary", Map.of("version", "1")));
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
  }

  static void post(String url, Object body) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer " + dev.aviary.testing.TestTokens.ADMIN)
                  .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String prometheus(String server) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(server + "/actuator/prometheus")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Cumulative counts of the tick-lag histogram, by upper bound in seconds. */
  private static Map<Double, Double> lagBuckets(String server)
      throws IOException, InterruptedException {
    Map<Double, Double> buckets = new TreeMap<>();
    for (String line : prometheus(server).lines().toList()) {
      if (line.startsWith("aviary_scheduler_tick_lag_seconds_bucket{")) {
        String le =
            line.substring(line.indexOf("le=\"") + 4, line.indexOf('"', line.indexOf("le=\"") + 4));
        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        buckets.merge(
            bound, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
      }
    }
    return buckets;
  }

  private static double ticks(String server) throws IOException, InterruptedException {
    return metric(server, "aviary_scheduler_tick_duration_seconds_count");
  }

  private static double heapUsed(String server) throws IOException, InterruptedException {
    double sum = 0;
    for (String line : prometheus(server).lines().toList()) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static double metric(String server, String name)
      throws IOException, InterruptedException {
    return prometheus(server)
        .lines()
        .filter(l -> l.startsWith(name))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** The q-quantile from cumulative bucket counts (upper bound of the bucket it falls in). */
  private static double quantile(Map<Double, Double> cumulative, double q) {
    double total = cumulative.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    if (total == 0) {
      return Double.NaN;
    }
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      if (e.getValue() >= q * total) {
        return e.getKey();
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  private static double maxBucket(Map<Double, Double> cumulative) {
    double total = cumulative.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      if (e.getValue() >= total) {
        return e.getKey();
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  private static String fmt(double seconds) {
    if (Double.isNaN(seconds)) {
      return "-";
    }
    if (Double.isInfinite(seconds)) {
      return "> 30 s";
    }
    return seconds < 1
        ? String.format(Locale.ROOT, "≤ %.0f ms", seconds * 1000)
        : String.format(Locale.ROOT, "≤ %.1f s", seconds);
  }

  private static long processCpuTicks(long pid) throws IOException {
    String[] f =
        Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ", -1)[1].split(" ", -1);
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static long[] machineCpu() throws IOException {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+", -1);
    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    long total = 0;
    for (int i = 1; i < f.length; i++) {
      total += Long.parseLong(f[i]);
    }
    return new long[] {total - idle, total};
  }

  private static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }

  private static Duration seconds(String text) {
    return Duration.ofSeconds(Long.parseLong(text.replace("s", "")));
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return opts;
  }

  private CapacityHarness() {}
}
