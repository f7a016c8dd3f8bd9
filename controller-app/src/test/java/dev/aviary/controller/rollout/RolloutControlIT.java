package dev.aviary.controller.rollout;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.routing.dryrun.DryRunLedger;
import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** People and pipelines in control: actions, waiting for a verdict, and the event stream. */
@AviaryIntegrationTest
class RolloutControlIT {

  @LocalServerPort int port;
  @Autowired DryRunLedger ledger;
  Api api;

  @BeforeEach
  void client() {
    api = new Api(port);
  }

  /** 10%, wait for a person, 50%, wait an hour, 100%. */
  private String startGated(String plan) {
    Map<String, Object> doc =
        aPlan(plan)
            .withWeights(10)
            .withStep(Map.of("pause", Map.of()))
            .withWeights(50)
            .withStep(Map.of("pause", Map.of("duration", "1h")))
            .withWeights(100)
            .build();
    assertThat(api.post("/api/v1/plans", doc).status()).isEqualTo(201);
    return api.post("/api/v1/rollouts", Map.of("plan", plan, "canary", Map.of("version", "9")))
        .json()
        .path("id")
        .asString();
  }

  private JsonNode awaitState(String id, String phase, int weight) {
    await(id + " " + phase + " at " + weight + "%")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              JsonNode r = api.get("/api/v1/rollouts/" + id).json();
              return r.path("phase").asString().equals(phase)
                  && r.path("canaryWeight").asInt() == weight;
            });
    return api.get("/api/v1/rollouts/" + id).json();
  }

  private Api.Response act(String id, String action) {
    return api.post("/api/v1/rollouts/" + id + "/" + action, null);
  }

  @Test
  void theListIsFilteredByVersionAndByThePlansLabelsAndABadFilterIsNamed() {
    Map<String, Object> labelled =
        aPlan("listed-labelled").withLabels(Map.of("listing", "labelled")).withWeights(100).build();
    assertThat(api.post("/api/v1/plans", labelled).status()).isEqualTo(201);
    assertThat(api.post("/api/v1/plans", aPlan("listed-other").withWeights(100).build()).status())
        .isEqualTo(201);
    String a =
        api.post(
                "/api/v1/rollouts",
                Map.of("plan", "listed-labelled", "canary", Map.of("version", "7.1.0")))
            .json()
            .path("id")
            .asString();
    String b =
        api.post(
                "/api/v1/rollouts",
                Map.of("plan", "listed-other", "canary", Map.of("version", "7.2.0")))
            .json()
            .path("id")
            .asString();
    assertThat(ids("/api/v1/rollouts?version=7.1.0")).containsExactly(a);
    assertThat(ids("/api/v1/rollouts?version=7.2.0")).containsExactly(b);
    assertThat(ids("/api/v1/rollouts?label=listing=labelled&plan=listed-labelled"))
        .containsExactly(a);
    assertThat(ids("/api/v1/rollouts?label=listing=labelled&version=7.2.0")).isEmpty();

    Api.Response bad = api.get("/api/v1/rollouts?label=team&phase=sideways");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("errors").findValuesAsString("field"))
        .containsExactly("phase", "label");
  }

  private List<String> ids(String path) {
    Api.Response r = api.get(path);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    List<String> ids = new java.util.ArrayList<>();
    r.json().path("items").forEach(i -> ids.add(i.path("id").asString()));
    return ids;
  }

  @Test
  void aPersonResumesAndPromotesThroughThePausesAndEachActionIsRecorded() {
    String id = startGated("gated");
    JsonNode waiting = awaitState(id, "PAUSED", 10);
    assertThat(waiting.path("step").path("description").asString())
        .isEqualTo("pause until resumed");
    assertThat(waiting.has("pausedUntil")).isFalse();

    Api.Response pauseAgain = act(id, "pause");
    assertThat(pauseAgain.status()).isEqualTo(409);
    assertThat(pauseAgain.json().path("detail").asString())
        .isEqualTo("cannot pause a PAUSED rollout: it is paused");
    assertThat(pauseAgain.json().path("phase").asString()).isEqualTo("PAUSED");

    Api.Response resumed = act(id, "resume");
    assertThat(resumed.status()).isEqualTo(200);
    assertThat(resumed.json().path("phase").asString()).isEqualTo("PROGRESSING");
    JsonNode hourPause = awaitState(id, "PAUSED", 50);
    assertThat(hourPause.path("pausedUntil").asString()).isNotEmpty();
    assertThat(hourPause.path("waitingFor").asString()).isEqualTo("timer");
    assertThat(waiting.path("waitingFor").asString()).isEqualTo("person");

    // a person's hold on the timed pause: its timer no longer ends it
    Api.Response held = act(id, "pause");
    assertThat(held.status()).as(held.text()).isEqualTo(200);
    assertThat(held.json().path("phase").asString()).isEqualTo("PAUSED");
    assertThat(held.json().path("heldBy").asString()).isEqualTo("token:bootstrap-admin");
    assertThat(held.json().path("waitingFor").asString()).isEqualTo("person");
    assertThat(act(id, "pause").json().path("detail").asString())
        .isEqualTo("cannot pause a PAUSED rollout: it is held by token:bootstrap-admin already");
    Api.Response released = act(id, "resume");
    assertThat(released.json().path("phase").asString())
        .as("resume returns to the timed pause")
        .isEqualTo("PAUSED");
    assertThat(released.json().path("waitingFor").asString()).isEqualTo("timer");
    assertThat(released.json().path("pausedUntil").asString())
        .isEqualTo(hourPause.path("pausedUntil").asString());
    assertThat(released.json().has("heldBy")).isFalse();

    assertThat(act(id, "promote").status()).isEqualTo(200);
    awaitState(id, "SUCCEEDED", 100);
    assertThat(ledger.history("gated")).containsExactly(10, 50, 100);
    assertThat(act(id, "retry").json().path("detail").asString())
        .contains("it has finished and its canary is the stable version");

    List<String> actions =
        api.get("/api/v1/rollouts/" + id + "/events")
            .json()
            .path("items")
            .valueStream()
            .filter(e -> e.path("type").asString().equals("ACTION"))
            .map(e -> e.path("reason").asString() + " by " + e.path("actor").asString())
            .toList();
    assertThat(actions)
        .hasSize(4)
        .startsWith("resume requested by token:bootstrap-admin")
        .endsWith("promotion requested: skipping step 4 by token:bootstrap-admin");
    assertThat(actions.get(1)).startsWith("hold requested: held by token:bootstrap-admin");
    assertThat(actions.get(2))
        .startsWith("resume requested: hold released by token:bootstrap-admin: the timed pause");
  }

  @Test
  void abortReturnsAllTrafficToStableAndRetryStartsOver() {
    String id = startGated("aborted");
    awaitState(id, "PAUSED", 10);
    Api.Response aborted = act(id, "abort");
    assertThat(aborted.status()).isEqualTo(200);
    assertThat(aborted.json().path("phase").asString()).isEqualTo("ROLLING_BACK");
    JsonNode done = awaitState(id, "ABORTED", 0);
    assertThat(done.path("reason").asString()).isEqualTo("aborted: all traffic back on stable");
    assertThat(act(id, "abort").status()).isEqualTo(409);

    Api.Response retried = act(id, "retry");
    assertThat(retried.status()).isEqualTo(200);
    awaitState(id, "PAUSED", 10);
    assertThat(act(id, "promote?full=true").status()).isEqualTo(200);
    awaitState(id, "SUCCEEDED", 100);
    assertThat(ledger.history("aborted")).containsExactly(10, 0, 10, 100);
  }

  @Test
  void aProgressingRolloutCanBePausedAndResumedWithoutSkippingItsStep() {
    Map<String, Object> doc =
        aPlan("held")
            .withWeights(20)
            .withStep(Map.of("pause", Map.of("duration", "1h")))
            .withWeights(100)
            .build();
    api.post("/api/v1/plans", doc);
    String id =
        api.post("/api/v1/rollouts", Map.of("plan", "held", "canary", Map.of("version", "1")))
            .json()
            .path("id")
            .asString();
    awaitState(id, "PAUSED", 20);
    act(id, "resume");
    awaitState(id, "SUCCEEDED", 100);
    Api.Response pauseDone = act(id, "pause");
    assertThat(pauseDone.status()).isEqualTo(409);
    assertThat(pauseDone.json().path("type").asString())
        .isEqualTo("https://aviary.dev/problems/conflict");
  }

  @Test
  void waitingForTheVerdictAnswersWhenTheRolloutEndsOrTheTimeoutPasses() {
    String id = startGated("awaited");
    awaitState(id, "PAUSED", 10);
    Api.Response timedOut = api.get("/api/v1/rollouts/" + id + "?wait=terminal&timeout=1s");
    assertThat(timedOut.status()).isEqualTo(200);
    assertThat(timedOut.json().path("phase").asString()).isEqualTo("PAUSED");

    CompletableFuture<Api.Response> verdict =
        CompletableFuture.supplyAsync(
            () -> api.get("/api/v1/rollouts/" + id + "?wait=terminal&timeout=2m"));
    await("the long-poll holds while the rollout is paused")
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> !verdict.isDone());
    act(id, "promote?full=true");
    Api.Response answered = verdict.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
    assertThat(answered.json().path("phase").asString()).isEqualTo("SUCCEEDED");
    assertThat(api.get("/api/v1/rollouts/" + id + "?wait=sometime").errorFields())
        .containsExactly("wait");
    assertThat(api.get("/api/v1/rollouts/" + id + "?wait=terminal&timeout=2h").errorFields())
        .containsExactly("timeout");
  }

  @Test
  void theEventStreamTellsStepWeightAndPhaseAsTheyHappenAndEndsWithTheRollout() throws Exception {
    String id = startGated("streamed");
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + port + "/api/v1/rollouts/" + id + "/events/stream"))
            .header("Accept", "text/event-stream")
            .header("Authorization", "Bearer " + dev.aviary.testing.TestTokens.ADMIN)
            .build();
    CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> response =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
    CompletableFuture<List<String>> lines =
        response.thenApply(
            r -> r.body().filter(l -> l.startsWith("event:") || l.startsWith("data:")).toList());
    awaitState(id, "PAUSED", 10);
    act(id, "promote?full=true");
    List<String> seen = lines.get(60, java.util.concurrent.TimeUnit.SECONDS);
    List<String> eventNames =
        seen.stream().filter(l -> l.startsWith("event:")).map(l -> l.substring(6).trim()).toList();
    assertThat(eventNames).startsWith("created", "transition", "step", "weight");
    assertThat(eventNames).endsWith("transition", "end");
    assertThat(eventNames).contains("action");
    String lastData = seen.get(seen.size() - 1);
    assertThat(lastData).contains("\"phase\":\"SUCCEEDED\"").contains("\"canaryWeight\":100");
    assertThat(seen.stream().filter(l -> l.contains("\"toWeight\":10")).findFirst()).isPresent();
  }
}
