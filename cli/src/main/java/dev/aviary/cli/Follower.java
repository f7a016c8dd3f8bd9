package dev.aviary.cli;

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

  int follow(String id, Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    long last = 0;
    boolean ended = false;
    int failures = 0;
    while (!ended && Instant.now().isBefore(deadline)) {
      boolean[] end = {false};
      try {
        last =
            api.stream(
                "/api/v1/rollouts/" + id + "/events/stream",
                last,
                Duration.between(Instant.now(), deadline),
                event -> {
                  if ("end".equals(event.name())) {
                    end[0] = true;
                  } else {
                    print(event.data());
                  }
                });
        failures = 0;
        ended = end[0];
      } catch (java.net.http.HttpTimeoutException e) {
        break;
      } catch (IOException e) {
        failures++;
        if (failures == 1) {
          err.println("aviary: lost the event stream (" + e.getMessage() + "); reconnecting");
          err.flush();
        }
        Thread.sleep(Math.min(5000, 500L * failures));
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
          "timed out after " + timeout.toMinutes() + "m waiting; " + describe(state.body()));
      out.flush();
      return ExitCodes.TIMEOUT;
    }
    out.println("result: " + phase + " — " + state.body().path("reason").asString(""));
    out.flush();
    return ExitCodes.forPhase(phase);
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
                  + (e.path("step").asInt()
                      + 1) // the step the event belongs to, not the current one
                  + "/"
                  + step.path("total").asInt()
                  + ": "
                  + e.path("reason").asString().replaceFirst("^step \\d+: ", "");
          case "WEIGHT" ->
              "weight " + e.path("fromWeight").asInt() + "% -> " + e.path("toWeight").asInt() + "%";
          case "ANALYSIS" -> "analysis " + e.path("reason").asString();
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
            : "");
  }
}
