package dev.aviary.parallelrun.report;

import dev.aviary.parallelrun.tally.Tally;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends a {@link Tally}'s counts to the controller every {@code interval}: {@code POST
 * /api/v1/plans/{plan}/comparisons} with a token. The answer names the plan's running rollout and
 * how much traffic to compare ({@link Answer}); until the first answer, and whenever the plan has
 * no rollout in a parallel run, it is 0 and nothing is mirrored.
 *
 * <p>A report whose answer was lost is sent again unchanged, with its sequence number, before any
 * newer counts: the controller stores each (source, sequence) once, so nothing is counted twice and
 * nothing is dropped while the controller is away. Counts made meanwhile wait in the tally.
 */
public final class ControllerReporter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ControllerReporter.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /**
   * What the controller answered.
   *
   * @param rolloutId the plan's rollout now in a parallel run, or null
   * @param sample the share of requests to compare, 0 to compare none
   */
  public record Answer(@Nullable String rolloutId, double sample) {
    public static final Answer NONE = new Answer(null, 0);
  }

  private final HttpClient http;
  private final URI endpoint;
  private final String token;
  private final Tally tally;
  private final Duration interval;
  private final Consumer<Answer> onAnswer;
  private final ScheduledExecutorService timer;
  private volatile Answer last = Answer.NONE;
  private @Nullable ComparisonReport pending;
  private volatile @Nullable String lastProblem;

  public ControllerReporter(
      URI controller,
      String plan,
      String token,
      Tally tally,
      Duration interval,
      Consumer<Answer> onAnswer) {
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String base = controller.toString().replaceAll("/+$", "");
    this.endpoint =
        URI.create(
            base
                + "/api/v1/plans/"
                + URLEncoder.encode(plan, StandardCharsets.UTF_8).replace("+", "%20")
                + "/comparisons");
    this.token = token;
    this.tally = tally;
    this.interval = interval;
    this.onAnswer = onAnswer;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "aviary-comparison-reporter");
              t.setDaemon(true);
              return t;
            });
  }

  /** Reports now, then every {@code interval}. */
  public ControllerReporter start() {
    long ms = interval.toMillis();
    var unused = timer.scheduleWithFixedDelay(this::reportQuietly, 0, ms, TimeUnit.MILLISECONDS);
    return this;
  }

  /** The controller's last answer. */
  public Answer answer() {
    return last;
  }

  /** Why the last report failed, or null when it was delivered. */
  public @Nullable String lastProblem() {
    return lastProblem;
  }

  private void reportQuietly() {
    try {
      report();
    } catch (RuntimeException e) {
      log.warn("reporting comparisons failed", e);
    }
  }

  /** Sends what is pending and what was counted since; answers whether it was delivered. */
  public synchronized boolean report() {
    try {
      ComparisonReport p = pending;
      if (p != null) {
        send(p);
        pending = null;
      }
      ComparisonReport next = tally.drain(last.rolloutId());
      pending = next;
      Answer a = send(next);
      pending = null;
      lastProblem = null;
      if (!a.equals(last)) {
        last = a;
        onAnswer.accept(a);
      }
      return true;
    } catch (IOException | JacksonException | IllegalStateException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (!why.equals(lastProblem)) {
        log.warn("comparisons not delivered to {}: {}; kept to send again", endpoint, why);
      }
      lastProblem = why;
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Answer send(ComparisonReport report) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(report)))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          "the controller answered " + response.statusCode() + ": " + cut(response.body()));
    }
    JsonNode body = JSON.readTree(response.body());
    JsonNode id = body.get("rolloutId");
    JsonNode sample = body.get("sample");
    return new Answer(
        id == null || id.isNull() ? null : id.asString(),
        sample == null ? 0 : Math.max(0, Math.min(1, sample.asDouble())));
  }

  private static String cut(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    report(); // the last counts
  }
}
