package dev.aviary.cli;

import dev.aviary.kernel.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Follows a rollout's event stream and prints each step, weight change, verdict and transition as
 * it happens; reconnects (resuming after the last event) if the connection drops, as when a
 * controller restarts. Answers the exit code of the phase the rollout ends in.
 */
final class Follower {

  private final ApiClient api;
  private final PrintWriter out;
  private final PrintWriter err;

  Follower(ApiClient api, PrintWriter out, PrintWriter err) {
    this.api = api;
    this.out = out;
    this.err = err;
  }

  /** Follows the rollout from its first event: for a rollout this command has just started. */
  int follow(String id, Duration timeout) throws IOException, InterruptedException {
    return follow(id, 0, timeout);
  }

  /**
   * Prints where the rollout stands now, then follows what happens next (not its history): for
   * {@code status --wait}, on a rollout that may have been running for hours.
   */
  int followFromNow(String id, Duration timeout) throws IOException, InterruptedException {
    long last = 0;
    // the newest event first, then the state: an event between the two is printed, not lost
    while (true) {
      ApiClient.Answer page =
          api.send(
              "GET",
              "/api/v1/rollouts/" + id + "/events?after=" + last + "&limit=" + PAGE,
              null,
              Map.of());
      if (!page.ok()) {
        err.println("aviary: " + page.problem());
        return ExitCodes.ERROR;
      }
      JsonNode items = page.body().path("items");
      for (JsonNode e : items) {
        last = Math.max(last, e.path("id").asLong());
      }
      if (items.size() < PAGE) {
        break;
      }
    }
    ApiClient.Answer state = api.send("GET", "/api/v1/rollouts/" + id, null, Map.of());
    if (!state.ok()) {
      err.println("aviary: " + state.problem());
      return ExitCodes.ERROR;
    }
    out.println(describe(state.body()));
    out.flush();
    return follow(id, last, timeout);
  }

  private static final int PAGE = 1000;

  /**
   * Follows the events after {@code after} until the rollout ends or {@code timeout} passes. A
   * dropped stream is resumed after the last event printed, so nothing is printed twice or skipped;
   * an answer that asking again cannot change (an unknown rollout, a revoked token) ends the wait
   * at once.
   */
  private int follow(String id, long after, Duration timeout)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    long[] last = {after};
    boolean ended = false;
    int failures = 0;
    while (!ended && Instant.now().isBefore(deadline)) {
      boolean[] end = {false};
      int[] received = {0};
      try {
        api.stream(
            "/api/v1/rollouts/" + id + "/events/stream",
            last[0],
            Duration.between(Instant.now(), deadline),
            event -> {
              if ("end".equals(event.name())) {
                end[0] = true;
              } else {
                print(event.data());
                received[0]++;
                if (event.id() > 0) {
                  last[0] = event.id(); // kept even if the stream breaks after this event
                }
              }
            });
        ended = end[0];
        if (!ended) {
          // the server closed the stream without ending it (it is shutting down, say)
          failures = received[0] > 0 ? 1 : failures + 1;
          Thread.sleep(Math.min(5000, 500L * failures));
        } else {
          failures = 0;
        }
      } catch (java.net.http.HttpTimeoutException e) {
        break;
      } catch (ApiClient.Refused e) {
        if (!e.retryable()) {
          err.println("aviary: " + e.getMessage());
          err.flush();
          return ExitCodes.ERROR;
        }
        failures = reconnecting(e, failures);
      } catch (IOException e) {
        failures = reconnecting(e, failures);
      }
    }
    ApiClient.Answer state = api.send("GET", "/api/v1/rollouts/" + id, null, Map.of());
    if (!state.ok()) {
      err.println("aviary: " + state.problem());
      return ExitCodes.ERROR;
    }
    String phase = state.body().path("phase").asString();
    if (!ended && !isTerminal(phase)) {
      out.println(
          "timed out after " + Durations.format(timeout) + " waiting; " + describe(state.body()));
      out.flush();
      return ExitCodes.TIMEOUT;
    }
    out.println("result: " + phase + " — " + state.body().path("reason").asString(""));
    out.flush();
    return ExitCodes.forResult(phase, state.body().path("rollbackCause").asString(""));
  }

  private int reconnecting(IOException e, int failures) throws InterruptedException {
    int now = failures + 1;
    if (now == 1) {
      err.println("aviary: lost the event stream (" + e.getMessage() + "); reconnecting");
      err.flush();
    }
    Thread.sleep(Math.min(5000, 500L * now));
    return now;
  }

  private static boolean isTerminal(String phase) {
    return switch (phase) {
      case "SUCCEEDED", "ROLLED_BACK", "ABORTED", "FAILED" -> true;
      default -> false;
    };
  }

  private void print(JsonNode e) {
    String at = e.path("at").asString("");
    String time = at.length() >= 19 ? at.substring(11, 19) : at;
    String type = e.path("type").asString();
    JsonNode step = e.path("rollout").path("step");
    String line =
        switch (type) {
          case "STEP" ->
              "step "
                  + e.path("step").asInt() // the step the event belongs to, not the current one
                  + "/"
                  + step.path("total").asInt()
                  + ": "
                  + e.path("reason").asString().replaceFirst("^step \\d+: ", "");
          case "WEIGHT" ->
              "weight " + e.path("fromWeight").asInt() + "% -> " + e.path("toWeight").asInt() + "%";
          case "ANALYSIS" -> "analysis " + e.path("reason").asString();
          case "PARALLEL_RUN" -> "parallel run " + e.path("reason").asString();
          case "APPROVAL" -> "approval: " + e.path("reason").asString();
          case "HOLD" -> "hold: " + e.path("reason").asString();
          case "HOOK" -> e.path("reason").asString(); // "hook load-test: said go: ..."
          case "ROUTES" -> e.path("reason").asString(); // "router set to: routes testers (...)"
          case "TRANSITION" ->
              e.path("fromPhase").asString()
                  + " -> "
                  + e.path("toPhase").asString()
                  + ": "
                  + e.path("reason").asString();
          case "ACTION" ->
              "action: " + e.path("reason").asString() + " (" + e.path("actor").asString() + ")";
          case "CREATED" -> "accepted by the controller";
          default -> "warning: " + e.path("reason").asString();
        };
    out.println("[" + time + "] " + line);
    out.flush();
  }

  /** One line on where a rollout stands. */
  static String describe(JsonNode r) {
    JsonNode step = r.path("step");
    return "rollout "
        + r.path("id").asString()
        + " of "
        + r.path("plan").asString()
        + ": "
        + r.path("phase").asString()
        + ", step "
        + Math.min(step.path("index").asInt() + 1, step.path("total").asInt())
        + "/"
        + step.path("total").asInt()
        + " ("
        + step.path("description").asString()
        + "), canary weight "
        + r.path("canaryWeight").asInt()
        + "%"
        + (r.path("analysis").path("lastVerdict").isString()
            ? ", last verdict " + r.path("analysis").path("lastVerdict").asString()
            : "")
        + (r.path("parallelRun").isObject()
            ? "; parallel run: " + r.path("parallelRun").path("reason").asString()
            : "")
        + (r.path("approval").isObject()
            ? "; waiting for approval by "
                + r.path("approval").path("who").asString()
                + " until "
                + r.path("approval").path("deadline").asString()
            : "")
        + (r.path("hold").isString() ? "; held: " + r.path("hold").asString() : "");
  }
}
