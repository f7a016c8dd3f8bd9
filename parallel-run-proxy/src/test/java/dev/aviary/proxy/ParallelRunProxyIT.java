package dev.aviary.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aviary.examples.SampleService;
import dev.aviary.parallelrun.tally.ComparisonSummary;
import dev.aviary.parallelrun.tally.NoiseThresholds;
import dev.aviary.testing.BlackHoleServer;
import dev.aviary.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The proxy in front of real sample services on real sockets: v1 as primary and as secondary, v2 as
 * candidate. Both versions put a timestamp and a random id in every answer; v2 prices a fixed 3 %
 * of items one cent higher.
 */
class ParallelRunProxyIT {

  private static final double SHARE = 0.03;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private SampleService service(String version, double fieldBug, Duration extraLatency, int port)
      throws IOException {
    SampleService s =
        new SampleService(version, 0, Duration.ofMillis(1), extraLatency, 1, 11, fieldBug)
            .start(port);
    open.add(s::stop);
    return s;
  }

  private ParallelRunProxy proxy(String yaml) {
    ProxySettings settings = SettingsFile.parse(yaml, name -> null);
    ParallelRunProxy p = new ParallelRunProxy(settings, "test", Clock.systemUTC()).start();
    open.add(p);
    return p;
  }

  private static String url(int port) {
    return "http://127.0.0.1:" + port;
  }

  /** One caller's request and what it got. */
  record Call(String id, long item, int status, String body, long nanos) {}

  private List<Call> quotes(int proxyPort, int n, long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    long[] items = new long[n];
    for (int i = 0; i < n; i++) {
      items[i] = random.nextLong(1, 1_000_000_000L);
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Call>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long item = items[i];
        String id = "req-" + seed + "-" + i;
        futures.add(
            pool.submit(
                () -> {
                  long t0 = System.nanoTime();
                  HttpResponse<String> r =
                      http.send(
                          HttpRequest.newBuilder(
                                  URI.create(url(proxyPort) + "/api/quote?item=" + item))
                              .header("X-Request-Id", id)
                              .timeout(Duration.ofSeconds(30))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  return new Call(id, item, r.statusCode(), r.body(), System.nanoTime() - t0);
                }));
      }
      List<Call> calls = new ArrayList<>();
      for (Future<Call> f : futures) {
        calls.add(f.get());
      }
      return calls;
    } finally {
      pool.shutdown();
    }
  }

  private Map<String, String> served(int port) throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(URI.create(url(port) + "/api/served")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Map<String, String> out = new ConcurrentHashMap<>();
    JsonNode tree = JsonMapper.builder().build().readTree(body);
    for (String k : tree.propertyNames()) {
      out.put(k, tree.get(k).asString());
    }
    return out;
  }

  private double metric(int port, String series) throws Exception {
    String text =
        http.send(
                HttpRequest.newBuilder(URI.create(url(port) + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  @Test
  void callersGetExactlyThePrimarysAnswersAndTheFieldBugIsMeasuredApartFromNoise()
      throws Exception {
    int p1 = FreePorts.next();
    int p2 = FreePorts.next();
    int p3 = FreePorts.next();
    service("v1", 0, Duration.ZERO, p1);
    service("v2", SHARE, Duration.ZERO, p2);
    service("v1", 0, Duration.ZERO, p3);
    ParallelRunProxy proxy =
        proxy(
            "listen: 0\nprimary: "
                + url(p1)
                + "\ncandidate: "
                + url(p2)
                + "\nsecondary: "
                + url(p3)
                + "\nrateLimit: 100000\nroutes: [{name: quote, route: GET /api/quote}]\n"
                // Nothing here may be skipped or given up: every copy waits for its answer and
                // for its comparison, however busy the machine (the bounds have tests of their own)
                + "maxInFlight: 4096\ncandidateTimeout: 60s\n");

    List<Call> calls = quotes(proxy.port(), 2000, 42);

    Map<String, String> primaryServed = served(p1);
    long buggy = 0;
    for (Call c : calls) {
      assertThat(c.status()).isEqualTo(200);
      // byte for byte what the primary sent for this request
      assertThat(SampleService.digest(c.body().getBytes(StandardCharsets.UTF_8)))
          .as("body of %s", c.id())
          .isEqualTo(primaryServed.get(c.id()));
      buggy += SampleService.buggy(c.item(), SHARE) ? 1 : 0;
    }
    long expected = buggy;
    // Every exchange ends compared or skipped; the bound only guards against one that never ends.
    await()
        .atMost(Duration.ofMinutes(3))
        .until(() -> summary(proxy).comparisons() + summary(proxy).skipped() == 2000);
    ComparisonSummary s = summary(proxy);
    assertThat(s.skipped()).as("skipped copies").isZero();
    assertThat(s.mismatches()).isEqualTo(expected);
    assertThat(s.mismatchRate()).isCloseTo(SHARE, org.assertj.core.data.Offset.offset(0.01));
    assertThat(s.noisy()).isEqualTo(2000 - expected);
    ComparisonSummary.EndpointSummary quote = s.endpoints().get(0);
    assertThat(quote.endpoint()).isEqualTo("quote");
    assertThat(quote.fields().get(0).path()).isEqualTo("$.price.amount");
    assertThat(quote.fields().get(0).noise()).isFalse();
    assertThat(
            quote.fields().stream()
                .filter(ComparisonSummary.FieldSummary::noise)
                .map(f -> f.path()))
        .containsExactlyInAnyOrder("$.servedAt", "$.requestId");
  }

  private static ComparisonSummary summary(ParallelRunProxy proxy) {
    return ComparisonSummary.builder().add(proxy.totals()).build(NoiseThresholds.DEFAULT);
  }

  @Test
  void aPostIsMirroredOnlyWhenItsRouteIsListedAndThenCarriesTheMarker() throws Exception {
    int p1 = FreePorts.next();
    int p2 = FreePorts.next();
    service("v1", 0, Duration.ZERO, p1);
    service("v2", 0, Duration.ZERO, p2);
    ParallelRunProxy unlisted =
        proxy("listen: 0\nprimary: " + url(p1) + "\ncandidate: " + url(p2) + "\n");
    ParallelRunProxy listed =
        proxy(
            "listen: 0\nprimary: "
                + url(p1)
                + "\ncandidate: "
                + url(p2)
                + "\nsafeToRepeat: [POST /api/orders]\n");
    for (int i = 0; i < 10; i++) {
      post(unlisted.port());
      post(listed.port());
    }
    assertThat(metric(p1, "orders_total{outcome=\"placed\",version=\"v1\"}")).isEqualTo(20);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> metric(p2, "orders_total{outcome=\"suppressed\",version=\"v2\"}") == 10);
    assertThat(metric(p2, "orders_total{outcome=\"placed\",version=\"v2\"}")).isZero();
    assertThat(summary(listed).comparisons()).isEqualTo(10);
    assertThat(summary(unlisted).comparisons()).isZero();
  }

  private void post(int port) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url(port) + "/api/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"item\":7,\"quantity\":1}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(201);
  }

  /**
   * A candidate that answers after 5 s, one that never answers, one that is not there, and one that
   * dies in the middle: callers get every answer from the primary, none of them waits for the
   * candidate (each answer well under the 5 s the slow one takes), and the candidate's failures are
   * counted, as errors or as skipped when the in-flight bound is reached.
   */
  @Test
  void aSlowSilentDeadOrCrashingCandidateCostsCallersNothing() throws Exception {
    int p1 = FreePorts.next();
    service("v1", 0, Duration.ZERO, p1);
    int slow = FreePorts.next();
    service("v2", 0, Duration.ofSeconds(5), slow);
    BlackHoleServer silent = new BlackHoleServer();
    open.add(silent);
    int dead = FreePorts.next();
    int crashing = FreePorts.next();
    SampleService crash = service("v2", 0, Duration.ZERO, crashing);

    String silentUrl = silent.url("").replaceAll("/$", "");
    for (String candidate : List.of(url(slow), silentUrl, url(dead), url(crashing))) {
      ParallelRunProxy proxy =
          proxy(
              "listen: 0\nprimary: "
                  + url(p1)
                  + "\ncandidate: "
                  + candidate
                  + "\ncandidateTimeout: 1s\nmaxInFlight: 32\n");
      List<Call> calls = new ArrayList<>(quotes(proxy.port(), 150, 7));
      if (candidate.equals(url(crashing))) {
        crash.stop();
        calls.addAll(quotes(proxy.port(), 150, 8));
      }
      Map<String, String> served = served(p1);
      for (Call c : calls) {
        assertThat(c.status()).as(candidate).isEqualTo(200);
        assertThat(SampleService.digest(c.body().getBytes(StandardCharsets.UTF_8)))
            .isEqualTo(served.get(c.id()));
        // a caller who waited for this candidate would wait at least 5 s (or forever): well below
        // that, not a tuned latency budget (that is measured in bench/, docs/performance.md)
        assertThat(Duration.ofNanos(c.nanos()))
            .as("a caller behind %s", candidate)
            .isLessThan(Duration.ofSeconds(4));
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> summary(proxy).comparisons() + summary(proxy).skipped() == calls.size());
      ComparisonSummary s = summary(proxy);
      if (!candidate.equals(url(crashing))) {
        assertThat(s.candidateErrors()).as(candidate).isEqualTo(s.comparisons());
        assertThat(s.mismatches()).isEqualTo(s.comparisons());
      } else {
        assertThat(s.candidateErrors()).as("requests after the crash").isPositive();
      }
    }
  }
}
