package dev.aviary.bench;

import dev.aviary.testing.FreePorts;
import dev.aviary.testing.HttpProbe;
import dev.aviary.testing.ManagedProcess;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * What the comparing proxy costs a caller. Three quote servers answering as the sample service does
 * (primary v1, candidate v2 with a 3 % field bug, secondary v1) run in this JVM; the proxy runs as
 * its own process (the packaged jar, -Xmx256m) comparing every request. An open-loop load is sent
 * at each rate, alternately straight to the primary and through the proxy; each latency runs from
 * when its request was due (no coordinated omission). Then the candidate is replaced by one that
 * accepts connections and never answers, and the proxy's resident memory is sampled while it serves
 * 1,000 requests a second.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.aviary.bench.ProxyOverheadHarness \
 *     --rates 500,1000,2000 --measure 20s --rounds 2 --silent 5m
 * </pre>
 */
public final class ProxyOverheadHarness {

  private ProxyOverheadHarness() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    List<Integer> rates = new ArrayList<>();
    for (String r : o.getOrDefault("rates", "500,1000,2000").split(",", -1)) {
      rates.add(Integer.parseInt(r.strip()));
    }
    Duration measure =
        Duration.ofSeconds(Long.parseLong(o.getOrDefault("measure", "20s").replace("s", "")));
    int rounds = Integer.parseInt(o.getOrDefault("rounds", "2"));
    Duration silent =
        Duration.ofMinutes(Long.parseLong(o.getOrDefault("silent", "5m").replace("m", "")));
    Path dir = Files.createTempDirectory("aviary-proxy-bench");
    Path jar = Path.of(o.getOrDefault("jar", "parallel-run-proxy/target/aviary-proxy.jar"));

    QuoteServer primary = new QuoteServer(0);
    QuoteServer candidate = new QuoteServer(0.03);
    QuoteServer secondary = new QuoteServer(0);
    int p1 = primary.port();
    int p2 = candidate.port();
    int p3 = secondary.port();
    String direct = "http://127.0.0.1:" + p1;

    System.out.printf(
        Locale.ROOT,
        "%d cores; %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    boolean latency = !"false".equals(o.getOrDefault("latency", "true"));
    try (Proxy proxy = Proxy.start(dir, jar, "http://127.0.0.1:" + p2, p1, p3, 1.0);
        Proxy plain = Proxy.start(dir, jar, "http://127.0.0.1:" + p2, p1, p3, 0)) {
      if (!latency) {
        rates.clear();
      }
      load(direct, 500, Duration.ofSeconds(10)); // JIT of this JVM and the services
      load(proxy.url, 500, Duration.ofSeconds(10)); // and of the proxies
      load(plain.url, 500, Duration.ofSeconds(10));
      System.out.println();
      System.out.println("| rate (req/s) | path | requests | errors | p50 | p99 | p99.9 | max |");
      System.out.println("|---|---|---|---|---|---|---|---|");
      for (int rate : rates) {
        List<long[]> straight = new ArrayList<>();
        List<long[]> through = new ArrayList<>();
        List<long[]> passing = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          straight.add(load(direct, rate, measure));
          passing.add(load(plain.url, rate, measure));
          through.add(load(proxy.url, rate, measure));
        }
        long[] a = merge(straight);
        long[] b = merge(through);
        row(rate, "direct", a);
        row(rate, "proxy, comparing none", merge(passing));
        row(rate, "proxy, comparing all", b);
        System.out.printf(
            Locale.ROOT,
            "| %d | **added** | | | **%.2f ms** | **%.2f ms** | %.2f ms | |%n",
            rate,
            (pct(b, 0.5) - pct(a, 0.5)) / 1000.0,
            (pct(b, 0.99) - pct(a, 0.99)) / 1000.0,
            (pct(b, 0.999) - pct(a, 0.999)) / 1000.0);
      }
      System.out.println();
      System.out.println(
          "proxy summary: " + HttpProbe.get(proxy.admin + "/summary").body().substring(0, 300));
    }

    // a candidate that accepts connections and never answers
    try (SilentServer hole = new SilentServer();
        Proxy proxy = Proxy.start(dir, jar, "http://127.0.0.1:" + hole.port(), p1, p3, 1.0)) {
      load(proxy.url, 1000, Duration.ofSeconds(10));
      System.out.println();
      System.out.println(
          "| minute | proxy RSS | proxy heap after a full GC | caller p99 | errors | skipped so far |");
      System.out.println("|---|---|---|---|---|---|");
      long minutes = Math.max(1, silent.toMinutes());
      for (long m = 1; m <= minutes; m++) {
        long[] r = load(proxy.url, 1000, Duration.ofMinutes(1));
        proxy.process.fullGc(); // what is still held, not what awaits collection
        String metrics = HttpProbe.get(proxy.admin + "/metrics").body();
        System.out.printf(
            Locale.ROOT,
            "| %d | %d MiB | %s MiB | %.2f ms | %d | %s |%n",
            m,
            proxy.process.rssKib() / 1024,
            heap(metrics),
            pct(r, 0.99) / 1000.0,
            r[r.length - 1],
            skipped(metrics));
      }
    }
    primary.close();
    candidate.close();
    secondary.close();
  }

  private static String heap(String metrics) {
    for (String line : metrics.split("\n", -1)) {
      if (line.startsWith("aviary_proxy_heap_used_bytes ")) {
        double bytes = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        return String.format(Locale.ROOT, "%.0f", bytes / (1 << 20));
      }
    }
    return "?";
  }

  private static String skipped(String metrics) {
    double total = 0;
    for (String line : metrics.split("\n", -1)) {
      if (line.startsWith("aviary_parallel_run_skipped_total{")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return String.format(Locale.ROOT, "%.0f", total);
  }

  /** The proxy as a process. */
  private record Proxy(ProcessWithRss process, String url, String admin) implements AutoCloseable {
    static Proxy start(
        Path dir, Path jar, String candidate, int primary, int secondary, double sample)
        throws Exception {
      int listen = FreePorts.next();
      int admin = FreePorts.next();
      Path settings = Files.createTempFile(dir, "proxy", ".yaml");
      Files.writeString(
          settings,
          String.join(
              "\n",
              "listen: " + listen,
              "admin: " + admin,
              "primary: http://127.0.0.1:" + primary,
              "candidate: " + candidate,
              "secondary: http://127.0.0.1:" + secondary,
              "sample: " + sample,
              "rateLimit: 100000",
              "candidateTimeout: 2s",
              "maxInFlight: 256",
              "routes: [{name: quote, route: GET /api/quote}]",
              ""));
      ManagedProcess p =
          new ManagedProcess(
                  "proxy",
                  List.of(
                      ProcessHandle.current().info().command().orElse("java"),
                      "-Xmx256m",
                      "-jar",
                      jar.toAbsolutePath().toString(),
                      settings.toString()),
                  dir.resolve("proxy-" + listen + ".log"))
              .start();
      String adminUrl = "http://127.0.0.1:" + admin;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (HttpProbe.status(adminUrl + "/healthz") != 200) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the proxy did not start: " + p.output());
        }
        Thread.sleep(200);
      }
      return new Proxy(new ProcessWithRss(p), "http://127.0.0.1:" + listen, adminUrl);
    }

    @Override
    public void close() {
      process.process.close();
    }
  }

  private record ProcessWithRss(ManagedProcess process) {
    void fullGc() throws java.io.IOException, InterruptedException {
      Path jcmd =
          Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
      new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "GC.run")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    }

    long rssKib() throws java.io.IOException {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return -1;
    }
  }

  private static final ConnectionProvider POOL =
      ConnectionProvider.builder("bench").maxConnections(400).pendingAcquireMaxCount(-1).build();
  private static final HttpClient CLIENT =
      HttpClient.create(POOL).responseTimeout(Duration.ofSeconds(10));

  /**
   * Sends {@code rate} GETs a second for {@code duration}, at most 400 at once; answers the
   * latencies in microseconds from when each was due, with the error count last.
   */
  static long[] load(String base, int rate, Duration duration) throws InterruptedException {
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong errors = new AtomicLong();
    Semaphore open = new Semaphore(400);
    long start = System.nanoTime();
    long total = rate * duration.toSeconds();
    long period = 1_000_000_000L / rate;
    for (long i = 0; i < total; i++) {
      long due = start + i * period;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
      open.acquire();
      String uri = base + "/api/quote?item=" + ((i * 7919) % 1_000_000);
      CLIENT
          .get()
          .uri(uri)
          .responseSingle(
              (r, body) ->
                  body.asByteArray().defaultIfEmpty(new byte[0]).map(b -> r.status().code()))
          .subscribe(
              code -> {
                latencies.add((System.nanoTime() - due) / 1000);
                if (code != 200) {
                  errors.incrementAndGet();
                }
                open.release();
              },
              e -> {
                errors.incrementAndGet();
                latencies.add((System.nanoTime() - due) / 1000);
                open.release();
              });
    }
    open.acquire(400);
    open.release(400);
    long[] all = new long[latencies.size() + 1];
    int k = 0;
    for (long l : latencies) {
      all[k++] = l;
    }
    Arrays.sort(all, 0, all.length - 1);
    all[all.length - 1] = errors.get();
    return all;
  }

  private static long[] merge(List<long[]> parts) {
    int n = 0;
    long errors = 0;
    for (long[] p : parts) {
      n += p.length - 1;
      errors += p[p.length - 1];
    }
    long[] all = new long[n + 1];
    int k = 0;
    for (long[] p : parts) {
      System.arraycopy(p, 0, all, k, p.length - 1);
      k += p.length - 1;
    }
    Arrays.sort(all, 0, n);
    all[n] = errors;
    return all;
  }

  private static double pct(long[] sortedWithErrors, double q) {
    int n = sortedWithErrors.length - 1;
    if (n <= 0) {
      return Double.NaN;
    }
    return sortedWithErrors[Math.min(n - 1, (int) Math.ceil(q * n) - 1)];
  }

  private static void row(int rate, String path, long[] r) {
    int n = r.length - 1;
    System.out.printf(
        Locale.ROOT,
        "| %d | %s | %d | %d | %.2f ms | %.2f ms | %.2f ms | %.2f ms |%n",
        rate,
        path,
        n,
        r[n],
        pct(r, 0.5) / 1000.0,
        pct(r, 0.99) / 1000.0,
        pct(r, 0.999) / 1000.0,
        r[n - 1] / 1000.0);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return o;
  }
}
