package dev.aviary.examples;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Steady traffic: {@code rate} requests a second to a URL, recording which version answered each
 * (the {@code X-Version} header), its status and its latency, so that a test or a person can see
 * what share of real traffic each version served over time.
 *
 * <pre>
 * java -cp sample-service.jar dev.aviary.examples.LoadGenerator --target http://127.0.0.1:8080 --rate 50
 * </pre>
 */
public final class LoadGenerator implements AutoCloseable {

  /** One answered request. */
  public record Sample(Instant at, String version, int status, long latencyMillis) {}

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private final String target;
  private final java.util.concurrent.atomic.AtomicLong counter =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.ScheduledFuture<?> firing;

  /**
   * Sends {@code rate} GET requests a second to {@code target}; a {@code {n}} in it becomes a
   * different pseudo-random number in each request ({@code /api/quote?item={n}}).
   */
  public LoadGenerator(String target, int rate) {
    this.target =
        URI.create(target.replace("{n}", "0")).getRawPath().isEmpty() ? target + "/" : target;
    long periodMicros = 1_000_000L / rate;
    firing = ticker.scheduleAtFixedRate(this::fire, 0, periodMicros, TimeUnit.MICROSECONDS);
  }

  private void fire() {
    Instant sent = Instant.now();
    // the answer is recorded when it comes; a failed request is recorded as version "none"
    java.util.concurrent.CompletableFuture<?> unused =
        client
            .sendAsync(
                HttpRequest.newBuilder(next()).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.discarding())
            .whenComplete(
                (r, e) -> {
                  long latency = Duration.between(sent, Instant.now()).toMillis();
                  if (e != null) {
                    samples.add(new Sample(sent, "none", 0, latency));
                  } else {
                    samples.add(
                        new Sample(
                            sent,
                            r.headers().firstValue("X-Version").orElse("none"),
                            r.statusCode(),
                            latency));
                  }
                });
  }

  private URI next() {
    if (!target.contains("{n}")) {
      return URI.create(target);
    }
    long h = counter.incrementAndGet() * 0x9E3779B97F4A7C15L;
    h ^= h >>> 31;
    return URI.create(target.replace("{n}", String.valueOf(Math.floorMod(h, 1_000_000_000L))));
  }

  public List<Sample> samples() {
    return new ArrayList<>(samples);
  }

  /** The share (percent) of requests sent in [from, to) that {@code version} answered. */
  public double share(String version, Instant from, Instant to) {
    long all = 0;
    long mine = 0;
    for (Sample s : samples) {
      if (!s.at().isBefore(from) && s.at().isBefore(to)) {
        all++;
        if (s.version().equals(version)) {
          mine++;
        }
      }
    }
    return all == 0 ? Double.NaN : 100.0 * mine / all;
  }

  /** Requests per version in [from, to). */
  public Map<String, Long> counts(Instant from, Instant to) {
    Map<String, Long> counts = new TreeMap<>();
    for (Sample s : samples) {
      if (!s.at().isBefore(from) && s.at().isBefore(to)) {
        counts.merge(s.version(), 1L, Long::sum);
      }
    }
    return counts;
  }

  @Override
  public void close() {
    firing.cancel(false);
    ticker.shutdownNow();
  }

  public static void main(String[] args) throws InterruptedException, IOException {
    Map<String, String> o = SampleService.options(args);
    String target = o.getOrDefault("target", "http://127.0.0.1:8080");
    int rate = Integer.parseInt(o.getOrDefault("rate", "50"));
    try (LoadGenerator load = new LoadGenerator(target, rate)) {
      System.out.println("sending " + rate + " requests a second to " + target);
      Instant last = Instant.now();
      while (true) {
        Thread.sleep(5000);
        Instant now = Instant.now();
        Map<String, Long> counts = load.counts(last, now);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder line = new StringBuilder("[load] last 5s:");
        counts.forEach(
            (v, n) ->
                line.append(' ')
                    .append(v)
                    .append(' ')
                    .append(Math.round(100.0 * n / Math.max(1, total)))
                    .append('%'));
        System.out.println(line);
        last = now;
      }
    }
  }
}
