package dev.aviary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.aviary.testing.ControllerProcess;
import dev.aviary.testing.FreePorts;
import dev.aviary.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The mission on real parts: Aviary as a process (the packaged jar) releases v2 of the sample
 * service behind a real HAProxy, judging it from a real Prometheus, while a load generator sends
 * steady traffic. Each scenario asserts what the load generator saw, not only Aviary's status.
 */
class ReleaseScenariosIT {

  static final List<Integer> RAMP = List.of(10, 25, 50, 100);
  static final Duration INTERVAL = Duration.ofSeconds(4);
  static final Duration WARMUP = Duration.ofSeconds(3);

  /**
   * How long a ramp may take before the test gives up: every weight below 100 % passes only once
   * non-inferiority is proven, and the 99th percentile's share (1 % of requests) takes its time at
   * 10 % of 300 requests a second — most of each step, and several times longer on a loaded
   * machine. A bound on a wait, not a tuned duration.
   */
  static final Duration RAMP_LIMIT = Duration.ofMinutes(8);

  static Path logs;
  static TestPostgres.Database db;
  static ControllerProcess controller;
  static Aviary aviary;

  @BeforeAll
  static void startAviary() throws Exception {
    logs = Files.createTempDirectory("aviary-e2e-logs");
    db = TestPostgres.newDatabase();
    controller = ControllerProcess.start(FreePorts.next(), properties(db), logs, "aviary");
    aviary = new Aviary(controller.url());
  }

  @AfterAll
  static void stopAviary() {
    controller.close();
  }

  static Map<String, String> properties(TestPostgres.Database db) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("spring.datasource.url", db.jdbcUrl());
    p.put("spring.datasource.username", db.username());
    p.put("spring.datasource.password", db.password());
    p.put("aviary.scheduler.poll-interval", "200ms");
    p.put("spring.quartz.properties.org.quartz.jobStore.clusterCheckinInterval", "1000");
    return p;
  }

  /**
   * The plan a release engineer would write: errors counted by HAProxy's ready-made {@code
   * http-error-rate} (no query written) and latency from the service's histogram, both judged
   * sequentially against the baseline. Tighter than the defaults on false rollbacks (alpha 0.002,
   * so a healthy scenario fails by chance once in 500 runs at most). Errors pass a step only once
   * shown below 1.5 times the baseline's rate (the default {@code maxIncrease}) or below 1 %: by
   * the judge's promise a canary with twice the errors then passes a step with probability at most
   * alpha — a margin at or above 2 would leave it to a race between the evidence of harm and of
   * safety (a CI run released one with {@code maxIncrease} 3). Latency's percentile shares are thin
   * (the 99th's is 1 % of requests), so that metric tolerates 3 times before it passes: this is a
   * few minutes of 300 requests a second, not an hour.
   */
  static Map<String, Object> plan(String name, Stack stack, String errorAction) {
    return plan(name, stack, errorAction, true);
  }

  /** The plan, judging errors only when {@code latency} is false. */
  static Map<String, Object> plan(String name, Stack stack, String errorAction, boolean latency) {
    Map<String, Object> prometheus =
        Map.of("type", "prometheus", "address", stack.prometheus.url(), "timeout", "2s");
    Map<String, Object> judge =
        Map.of("type", "sequential", "alpha", 0.002, "maxIncrease", 1.5, "passBelow", 0.01);
    Map<String, Object> latencyJudge =
        Map.of("type", "sequential", "alpha", 0.002, "maxIncrease", 3);
    Map<String, Object> analysis = new LinkedHashMap<>();
    analysis.put("interval", INTERVAL.toSeconds() + "s");
    analysis.put("warmup", WARMUP.toSeconds() + "s");
    analysis.put("consecutiveErrorLimit", 2);
    analysis.put("errorAction", errorAction);
    analysis.put("maxDuration", "5m");
    analysis.put("judge", judge);
    // no PromQL: HAProxy's ready-made error rate, each side read from the exporter's answers of
    // its own servers (after a release on the stable slot, swapped)
    Map<String, Object> errors =
        Map.of("name", "errors", "provider", prometheus, "template", "http-error-rate");
    analysis.put(
        "metrics",
        !latency
            ? List.of(errors)
            : List.of(
                errors,
                Map.of(
                    "name",
                    "latency",
                    "provider",
                    prometheus,
                    "histogram",
                    "sum by (le) (increase(http_request_duration_seconds_bucket{version=\"${version}\"}[${window}]))",
                    "judge",
                    latencyJudge)));
    Map<String, Object> plan = new LinkedHashMap<>();
    plan.put("name", name);
    plan.put(
        "router",
        Map.of(
            "type",
            "haproxy",
            "address",
            stack.haproxy.apiAddress(),
            "backend",
            "app",
            "stable",
            "stable1",
            "canary",
            "canary1"));
    plan.put("steps", RAMP.stream().map(w -> Map.of("setWeight", w)).toList());
    plan.put("analysis", analysis);
    return plan;
  }

  /** The share of v2 the load generator saw while each weight held must match that weight. */
  static void assertTrafficFollowedEveryWeight(Stack stack, List<Aviary.WeightChange> changes) {
    for (int i = 0; i < changes.size(); i++) {
      Instant from = changes.get(i).at().plusMillis(500);
      Instant to = i + 1 < changes.size() ? changes.get(i + 1).at() : Instant.now();
      if (Duration.between(from, to).toMillis() < 2000) {
        continue; // too short a hold to measure
      }
      int weight = changes.get(i).to();
      assertThat(stack.load.share("v2", from, to))
          .as(
              "v2's share of real traffic while the weight was %d%% (%s)",
              weight, stack.load.counts(from, to))
          .isCloseTo(weight, within(weight == 0 || weight == 100 ? 0.0 : 12.0));
    }
  }

  @Test
  void aCanaryWithTwiceTheErrorsIsRolledBackAtItsFirstWeightAndTheMetricNamed() throws Exception {
    // 5 % and 10 %: twice the errors, and enough of them at 10 % of the traffic to prove it soon
    try (Stack stack = Stack.start("errors", "0.05", "0.10", "1")) {
      aviary.send("POST", "/api/v1/plans", plan("e2e-errors", stack, "rollback"));
      String id = aviary.start("e2e-errors");
      JsonNode done =
          aviary.awaitPhase(id, Duration.ofMinutes(5), "ROLLED_BACK", "SUCCEEDED", "FAILED");
      assertThat(done.path("phase").asString()).isEqualTo("ROLLED_BACK");
      assertThat(done.path("reason").asString())
          .contains("errors HIGH", "proven worse")
          .doesNotContain("latency HIGH");
      List<Aviary.WeightChange> changes = aviary.weightChanges(id);
      assertThat(changes).extracting(Aviary.WeightChange::to).containsExactly(RAMP.get(0), 0);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Duration.between(changes.get(1).at(), Instant.now()).toSeconds() >= 3);
      assertTrafficFollowedEveryWeight(stack, changes);
      assertThat(stack.load.share("v2", changes.get(1).at().plusMillis(500), Instant.now()))
          .isZero();
    }
  }

  @Test
  void aCanaryWhoseSlowestRequestsAloneAreSlowerIsRolledBackByTheLatencyHistogram()
      throws Exception {
    try (Stack stack = Stack.start("latency", "0", "0", "3")) {
      aviary.send("POST", "/api/v1/plans", plan("e2e-latency", stack, "rollback"));
      String id = aviary.start("e2e-latency");
      JsonNode done =
          aviary.awaitPhase(id, Duration.ofMinutes(4), "ROLLED_BACK", "SUCCEEDED", "FAILED");
      assertThat(done.path("phase").asString()).isEqualTo("ROLLED_BACK");
      assertThat(done.path("reason").asString())
          .contains("latency HIGH", "the tail")
          .doesNotContain("errors HIGH");
      List<Aviary.WeightChange> changes = aviary.weightChanges(id);
      assertThat(changes).extracting(Aviary.WeightChange::to).containsExactly(RAMP.get(0), 0);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Duration.between(changes.get(1).at(), Instant.now()).toSeconds() >= 3);
      assertThat(stack.load.share("v2", changes.get(1).at().plusMillis(500), Instant.now()))
          .isZero();
    }
  }

  @Test
  void aMetricsOutageNeverPromotesPausesAndAResumedRolloutFinishes() throws Exception {
    try (Stack stack = Stack.start("outage", "0", "0", "1")) {
      aviary.send("POST", "/api/v1/plans", plan("e2e-outage", stack, "pause"));
      String id = aviary.start("e2e-outage");
      await("the canary at 25%")
          .atMost(RAMP_LIMIT)
          .until(() -> aviary.rollout(id).path("canaryWeight").asInt() == 25);
      stack.prometheus.stop();
      Instant outage = Instant.now();
      JsonNode paused =
          aviary.awaitPhase(id, Duration.ofMinutes(1), "PAUSED", "SUCCEEDED", "ROLLED_BACK");
      assertThat(paused.path("phase").asString()).isEqualTo("PAUSED");
      assertThat(paused.path("reason").asString())
          .contains("could not judge the canary")
          .contains("could not be fetched 3 times in a row")
          .contains("connection refused");
      assertThat(paused.path("waitingFor").asString()).isEqualTo("person");
      assertThat(paused.path("canaryWeight").asInt())
          .as("no promotion without metrics")
          .isEqualTo(25);
      assertThat(stack.load.share("v2", outage.plusSeconds(1), Instant.now()))
          .isCloseTo(25.0, within(12.0));

      stack.prometheus.restart();
      aviary.send("POST", "/api/v1/rollouts/" + id + "/resume", null);
      JsonNode done =
          aviary.awaitPhase(id, RAMP_LIMIT, "SUCCEEDED", "ROLLED_BACK", "FAILED", "PAUSED");
      assertThat(done.path("phase").asString())
          .as(done.path("reason").asString())
          .isEqualTo("SUCCEEDED");
      assertThat(aviary.weightChanges(id))
          .extracting(Aviary.WeightChange::to)
          .containsExactlyElementsOf(RAMP);
      Instant end = Instant.now().plusSeconds(2);
      await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(end));
      assertThat(stack.load.share("v2", end.minusSeconds(2), end)).isEqualTo(100.0);
    }
  }

  /**
   * The mission's plain case — a healthy canary ramped through every step and promoted, real
   * traffic following each weight — with the controller killed with SIGKILL at 25 % and a new one
   * finishing the rollout: no weight skipped or repeated. (The metrics-outage scenario ramps a
   * healthy canary with no kill.)
   */
  @Test
  void aHealthyCanaryIsPromotedThroughEveryStepEvenWhenTheControllerIsKilledMidRollout()
      throws Exception {
    TestPostgres.Database own = TestPostgres.newDatabase();
    ControllerProcess first =
        ControllerProcess.start(FreePorts.next(), properties(own), logs, "aviary-crash-1");
    try (Stack stack = Stack.start("crash", "0", "0", "1")) {
      Aviary before = new Aviary(first.url());
      // errors only: the metrics-outage scenario ramps a healthy canary judged on latency too
      before.send("POST", "/api/v1/plans", plan("e2e-crash", stack, "rollback", false));
      String id = before.start("e2e-crash");
      await("the canary at 25%")
          .atMost(RAMP_LIMIT)
          .until(() -> before.rollout(id).path("canaryWeight").asInt() == 25);
      first.kill();
      try (ControllerProcess second =
          ControllerProcess.start(FreePorts.next(), properties(own), logs, "aviary-crash-2")) {
        Aviary after = new Aviary(second.url());
        JsonNode done =
            after.awaitPhase(id, RAMP_LIMIT, "SUCCEEDED", "ROLLED_BACK", "FAILED", "PAUSED");
        assertThat(done.path("phase").asString())
            .as(done.path("reason").asString())
            .isEqualTo("SUCCEEDED");
        List<Aviary.WeightChange> changes = after.weightChanges(id);
        assertThat(changes).extracting(Aviary.WeightChange::to).containsExactlyElementsOf(RAMP);
        await("traffic after promotion")
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    Duration.between(changes.get(changes.size() - 1).at(), Instant.now())
                            .toSeconds()
                        >= 3);
        assertTrafficFollowedEveryWeight(stack, changes);
        Instant end = Instant.now();
        assertThat(stack.load.share("v2", end.minusSeconds(2), end)).isEqualTo(100.0);
      }
    } finally {
      first.close();
    }
  }

  /**
   * Day two: release 1 ends with all traffic on the canary server, so release 2 goes to the other
   * server (the pipeline asks where, deploys there, starts), from 0 % on it — no traffic back to
   * the version release 1 replaced. A router someone left half-way is refused before anything
   * moves. No analysis here: the traffic each server receives is the subject.
   */
  @Test
  void twoReleasesInARowEachMoveTrafficFromTheLiveVersionToTheNewOne() throws Exception {
    try (Stack stack = Stack.start("two-releases", "0", "0", "1")) {
      Map<String, Object> plan = new LinkedHashMap<>(plan("e2e-two-releases", stack, "rollback"));
      plan.remove("analysis");
      plan.put(
          "steps",
          List.of(
              Map.of("setWeight", 50),
              Map.of("pause", Map.of("duration", "10s")),
              Map.of("setWeight", 100)));
      aviary.send("POST", "/api/v1/plans", plan);
      String where = "/api/v1/rollouts/next-slot?plan=e2e-two-releases";
      assertThat(aviary.send("GET", where, null).path("slot").asString()).isEqualTo("canary");

      String first = aviary.start("e2e-two-releases", "v2", "v1");
      releasedThroughHalf(stack, first, "v2");
      JsonNode next = aviary.send("GET", where, null);
      assertThat(next.path("slot").asString()).isEqualTo("stable");
      assertThat(next.path("live").asString()).isEqualTo("canary");

      stack.deployOnStable("v3"); // the pipeline deploys to the slot Aviary named
      Instant secondStarted = Instant.now();
      String second = aviary.start("e2e-two-releases", "v3", "v2");
      assertThat(aviary.rollout(second).path("slot").asString()).isEqualTo("stable");
      releasedThroughHalf(stack, second, "v3");
      Instant end = Instant.now();
      // no request went back to the version release 1 replaced
      assertThat(stack.load.counts(secondStarted, end)).doesNotContainKey("v1").containsKey("v2");

      // someone moves half the traffic by hand: the next release is refused, nothing moves
      haproxy(stack, "set server app/canary1 weight 256");
      Aviary.Reply refused =
          aviary.attempt(
              "POST",
              "/api/v1/rollouts",
              Map.of("plan", "e2e-two-releases", "canary", Map.of("version", "v4")));
      assertThat(refused.status()).as(refused.body()).isEqualTo(409);
      assertThat(refused.body())
          .contains("sends 50% of the traffic to the canary servers")
          .contains("Put all traffic on the stable servers");
    }
  }

  /** {@code id} holds 50 % with {@code version} taking half the traffic, then takes it all. */
  private static void releasedThroughHalf(Stack stack, String id, String version) {
    JsonNode done = aviary.awaitPhase(id, RAMP_LIMIT, "SUCCEEDED", "ROLLED_BACK", "FAILED");
    assertThat(done.path("phase").asString())
        .as(done.path("reason").asString())
        .isEqualTo("SUCCEEDED");
    List<Aviary.WeightChange> changes = aviary.weightChanges(id);
    assertThat(changes)
        .extracting(c -> c.from() + "->" + c.to())
        .containsExactly("0->50", "50->100");
    Instant half = changes.get(0).at().plusMillis(500);
    Instant full = changes.get(1).at();
    Instant halfEnd = full;
    StringBuilder around = new StringBuilder();
    for (int ms = -3000; ms < 1500; ms += 500) {
      Instant from = full.plusMillis(ms);
      around.append(
          String.format(" %+.1fs:%s", ms / 1000.0, stack.load.counts(from, from.plusMillis(500))));
    }
    System.out.println(version + " traffic around its event at 100%:" + around);
    assertThat(stack.load.share(version, half, halfEnd))
        .as("%s's share while at 50%% (%s)", version, stack.load.counts(half, halfEnd))
        .isCloseTo(50.0, within(12.0));
    await("traffic after promotion")
        .atMost(Duration.ofSeconds(10))
        .until(() -> Duration.between(full, Instant.now()).toSeconds() >= 3);
    Instant end = Instant.now();
    assertThat(stack.load.share(version, full.plusMillis(500), end))
        .as("%s's share after promotion (%s)", version, stack.load.counts(full, end))
        .isEqualTo(100.0);
  }

  /** One command on HAProxy's runtime API, as a person at its socket would send it. */
  private static void haproxy(Stack stack, String command) throws Exception {
    String[] hostPort = stack.haproxy.apiAddress().split(":", -1);
    try (java.net.Socket socket = new java.net.Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
      socket
          .getOutputStream()
          .write((command + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      socket.getInputStream().readAllBytes();
    }
  }
}
