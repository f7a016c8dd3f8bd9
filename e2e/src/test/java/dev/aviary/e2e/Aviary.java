package dev.aviary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to an Aviary process over its REST API, as a pipeline would. */
final class Aviary {

  static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String base;

  Aviary(String base) {
    this.base = base;
  }

  JsonNode send(String method, String path, Object body) {
    try {
      HttpRequest.Builder r =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .header("Authorization", "Bearer " + dev.aviary.testing.TestTokens.ADMIN)
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode())
          .as(method + " " + path + ": " + response.body())
          .isBetween(200, 299);
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  JsonNode rollout(String id) {
    return send("GET", "/api/v1/rollouts/" + id, null);
  }

  String start(String plan) {
    return start(plan, "v2", "v1");
  }

  String start(String plan, String version, String baselineVersion) {
    return send(
            "POST",
            "/api/v1/rollouts",
            Map.of(
                "plan",
                plan,
                "canary",
                Map.of("version", version),
                "baseline",
                Map.of("version", baselineVersion)))
        .path("id")
        .asString();
  }

  /** The status and body of a request that may be refused. */
  record Reply(int status, String body) {}

  Reply attempt(String method, String path, Object body) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer " + dev.aviary.testing.TestTokens.ADMIN)
                  .method(
                      method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  JsonNode awaitPhase(String id, Duration within, String... phases) {
    await(id + " in " + List.of(phases))
        .atMost(within)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> List.of(phases).contains(rollout(id).path("phase").asString()));
    System.out.println(timeline(id));
    return rollout(id);
  }

  /**
   * The rollout's trail in seconds since it was created — weight changes, phase changes and how
   * many analysis ticks each weight took — so that a slow or surprising run can be read from the
   * test's output.
   */
  String timeline(String id) {
    StringBuilder out = new StringBuilder("rollout " + id + ":");
    Instant created = null;
    int ticks = 0;
    for (JsonNode e : send("GET", "/api/v1/rollouts/" + id + "/events", null).path("items")) {
      Instant at = Instant.parse(e.path("at").asString());
      if (created == null) {
        created = at;
      }
      String type = e.path("type").asString();
      if (type.equals("ANALYSIS")) {
        ticks++;
        continue;
      }
      if (!type.equals("WEIGHT") && !type.equals("TRANSITION") && !type.equals("DRIFT")) {
        continue;
      }
      double seconds = Duration.between(created, at).toMillis() / 1000.0;
      String what =
          type.equals("TRANSITION")
              ? e.path("toPhase").asString()
              : e.path("fromWeight").asInt() + "->" + e.path("toWeight").asInt();
      out.append(
          String.format("%n  %7.1fs %-10s %-12s after %d ticks", seconds, type, what, ticks));
      if (type.equals("TRANSITION") && e.hasNonNull("reason")) {
        out.append(" — ").append(e.path("reason").asString());
      }
      ticks = 0;
    }
    return out.toString();
  }

  /** A weight change seen in the audit trail. */
  record WeightChange(Instant at, int from, int to) {}

  List<WeightChange> weightChanges(String id) {
    List<WeightChange> changes = new ArrayList<>();
    for (JsonNode e : send("GET", "/api/v1/rollouts/" + id + "/events", null).path("items")) {
      if (e.path("type").asString().equals("WEIGHT")) {
        changes.add(
            new WeightChange(
                Instant.parse(e.path("at").asString()),
                e.path("fromWeight").asInt(),
                e.path("toWeight").asInt()));
      }
    }
    return changes;
  }

  List<JsonNode> events(String id, String type) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e : send("GET", "/api/v1/rollouts/" + id + "/events", null).path("items")) {
      if (e.path("type").asString().equals(type)) {
        out.add(e);
      }
    }
    return out;
  }
}
