package dev.aviary.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;

/**
 * A tiny service to release: it answers {@code GET /} with its version, fails a set share of
 * requests with 500, takes a log-normal time (median {@code --latency}, the logarithm's spread
 * 0.5), and counts requests by status and latency for Prometheus. {@code --extra-latency} slows
 * every request; {@code --slow-tail 3} makes only its slowest 1 % three times slower, leaving the
 * median where it was.
 *
 * <p>For parallel runs it also answers {@code GET /api/quote?item=N} with a JSON quote that holds,
 * like many real answers, a timestamp and a random id; {@code --field-bug 0.03} prices a fixed 3 %
 * of items one cent higher (the same items every time, chosen by a hash of the item). {@code POST
 * /api/orders} places an order — a side effect, counted in {@code orders_placed_total} — unless the
 * request carries {@code Aviary-Parallel-Run}, when the order is only pretended ({@code
 * orders_suppressed_total}). {@code GET /api/served} lists a digest of every body this instance
 * answered, by the request's {@code X-Request-Id}, so a test can check that callers received
 * exactly these bytes.
 *
 * <pre>
 * java -jar sample-service.jar --port 8081 --version v2 --error-rate 0.05 --latency 20ms --slow-tail 3
 * </pre>
 */
public final class SampleService {

  private final String version;
  private final double errorRate;
  private final Duration latency;
  private final Duration extraLatency;
  private final double slowTail;
  private final SplittableRandom random;
  private final double fieldBug;
  private final Map<String, String> served = new java.util.concurrent.ConcurrentHashMap<>();
  private final Counter orders;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests;
  private final Histogram durations;
  private HttpServer server;

  /** The standard normal's 99th percentile: beyond it lies the slowest 1 %. */
  private static final double Z99 = 2.3263478740408408;

  private static final double SPREAD = 0.5;

  public SampleService(
      String version,
      double errorRate,
      Duration latency,
      Duration extraLatency,
      double slowTail,
      long seed) {
    this(version, errorRate, latency, extraLatency, slowTail, seed, 0);
  }

  public SampleService(
      String version,
      double errorRate,
      Duration latency,
      Duration extraLatency,
      double slowTail,
      long seed,
      double fieldBug) {
    this.fieldBug = fieldBug;
    this.version = version;
    this.errorRate = errorRate;
    this.latency = latency;
    this.extraLatency = extraLatency;
    this.slowTail = slowTail;
    this.random = new SplittableRandom(seed);
    this.requests =
        Counter.builder()
            .name("http_requests_total")
            .help("Requests served, by version and status code")
            .labelNames("version", "code")
            .register(registry);
    this.durations =
        Histogram.builder()
            .name("http_request_duration_seconds")
            .help("Time to serve a request, by version")
            .labelNames("version")
            // fine around the median, 90th and 99th percentile of 20 ms requests (20, 38, 64 ms)
            .classicUpperBounds(
                0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.05, 0.06, 0.065, 0.07, 0.08,
                0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 2.5)
            .register(registry);
    this.orders =
        Counter.builder()
            .name("orders_total")
            .help("Orders received, by version and whether they were placed or only pretended")
            .labelNames("version", "outcome")
            .register(registry);
    orders.labelValues(version, "placed");
    orders.labelValues(version, "suppressed");
    // Both series exist from the start, as in a real service that has served at least once.
    requests.labelValues(version, "200");
    requests.labelValues(version, "500");
  }

  public SampleService start(int port) throws IOException {
    server =
        HttpServer.create(
            new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 200);
    server.createContext("/metrics", this::metrics);
    server.createContext("/healthz", e -> reply(e, 200, "ok"));
    server.createContext("/api/quote", this::quote);
    server.createContext("/api/orders", this::order);
    server.createContext("/api/served", this::served);
    server.createContext("/", this::serve);
    server.setExecutor(Executors.newFixedThreadPool(64));
    server.start();
    return this;
  }

  private void serve(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    boolean fail;
    long jitterMicros;
    synchronized (random) {
      fail = random.nextDouble() < errorRate;
      double z = random.nextGaussian();
      double factor = Math.exp(SPREAD * z) * (z > Z99 ? slowTail : 1);
      jitterMicros = (long) (latency.toNanos() / 1000.0 * factor);
    }
    try {
      Thread.sleep(
          Duration.ofNanos(jitterMicros * 1000).plus(extraLatency).toMillis(),
          (int) (jitterMicros * 1000 % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int status = fail ? 500 : 200;
    reply(exchange, status, fail ? "error from " + version : version);
    requests.labelValues(version, String.valueOf(status)).inc();
    durations.labelValues(version).observe((System.nanoTime() - start) / 1e9);
  }

  /** The price of an item in cents: the same on every version, but for the field bug's share. */
  public static long price(long item) {
    return 100L + Math.floorMod(item * 7919, 9000L);
  }

  /** Whether {@code item} is among the {@code share} of items the field bug prices wrong. */
  public static boolean buggy(long item, double share) {
    long h = item * 0x9E3779B97F4A7C15L;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 32;
    return Math.floorMod(h, 1_000_000) < share * 1_000_000;
  }

  private void quote(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    if (!extraLatency.isZero()) {
      try {
        Thread.sleep(extraLatency.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String q = exchange.getRequestURI().getRawQuery();
    long item = 0;
    if (q != null && q.startsWith("item=")) {
      try {
        item = Long.parseLong(q.substring(5));
      } catch (NumberFormatException e) {
        json(exchange, 400, "{\"error\":\"item must be a number\"}");
        return;
      }
    }
    long cents = price(item) + (buggy(item, fieldBug) ? 1 : 0);
    json(
        exchange,
        200,
        "{\"item\":"
            + item
            + ",\"price\":{\"amount\":"
            + cents / 100
            + "."
            + String.format(java.util.Locale.ROOT, "%02d", cents % 100)
            + ",\"currency\":\"EUR\"},\"servedAt\":\""
            + java.time.Instant.now()
            + "\",\"requestId\":\""
            + java.util.UUID.randomUUID()
            + "\"}");
    requests.labelValues(version, "200").inc();
    durations.labelValues(version).observe((System.nanoTime() - start) / 1e9);
  }

  private void order(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    if (!"POST".equals(exchange.getRequestMethod())) {
      json(exchange, 405, "{\"error\":\"POST an order\"}");
      return;
    }
    boolean shadow = exchange.getRequestHeaders().containsKey("Aviary-Parallel-Run");
    orders.labelValues(version, shadow ? "suppressed" : "placed").inc();
    json(
        exchange,
        201,
        "{\"status\":\"placed\",\"orderId\":\"" + java.util.UUID.randomUUID() + "\"}");
  }

  private void served(HttpExchange exchange) throws IOException {
    StringBuilder b = new StringBuilder("{");
    served.forEach(
        (id, digest) ->
            b.append(b.length() > 1 ? "," : "")
                .append('"')
                .append(id)
                .append("\":\"")
                .append(digest)
                .append('"'));
    reply(exchange, 200, b.append('}').toString(), "application/json", false);
  }

  private void json(HttpExchange exchange, int status, String body) throws IOException {
    reply(exchange, status, body, "application/json", true);
  }

  private void metrics(HttpExchange exchange) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    exchange.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
    byte[] body = out.toByteArray();
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(body);
    }
  }

  private void reply(HttpExchange exchange, int status, String body) throws IOException {
    reply(exchange, status, body, "text/plain", true);
  }

  private void reply(HttpExchange exchange, int status, String body, String type, boolean record)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String id = exchange.getRequestHeaders().getFirst("X-Request-Id");
    if (record && id != null && served.size() < 100_000) {
      served.put(id, digest(bytes));
    }
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("X-Version", version);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }

  /** The SHA-256 of {@code bytes}, in hex. */
  public static String digest(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> o = options(args);
    SampleService service =
        new SampleService(
            o.getOrDefault("version", "v1"),
            Double.parseDouble(o.getOrDefault("error-rate", "0")),
            duration(o.getOrDefault("latency", "20ms")),
            duration(o.getOrDefault("extra-latency", "0ms")),
            Double.parseDouble(o.getOrDefault("slow-tail", "1")),
            Long.parseLong(o.getOrDefault("seed", String.valueOf(System.nanoTime()))),
            Double.parseDouble(o.getOrDefault("field-bug", "0")));
    int port = Integer.parseInt(o.getOrDefault("port", "8081"));
    service.start(port);
    System.out.println(
        "sample-service "
            + service.version
            + " on http://127.0.0.1:"
            + port
            + " (error rate "
            + service.errorRate
            + ", latency "
            + service.latency.toMillis()
            + "ms + "
            + service.extraLatency.toMillis()
            + "ms, slowest 1 % x"
            + service.slowTail
            + (service.fieldBug > 0 ? ", " + service.fieldBug + " of quotes priced wrong" : "")
            + ")");
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return o;
  }

  static Duration duration(String text) {
    if (text.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
    }
    if (text.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
    }
    return Duration.ofMillis(Long.parseLong(text));
  }
}
