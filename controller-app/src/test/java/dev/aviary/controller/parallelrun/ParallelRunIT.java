package dev.aviary.controller.parallelrun;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.routing.dryrun.DryRunLedger;
import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import dev.aviary.parallelrun.report.ComparisonReport;
import dev.aviary.parallelrun.report.ControllerReporter;
import dev.aviary.parallelrun.tally.Tally;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The parallel-run gate through the API: the reporter of the parallel-run library, as a comparing
 * proxy uses it, reports counts to the controller with a pipeline token scoped to the plan.
 */
@AviaryIntegrationTest
class ParallelRunIT {

  @LocalServerPort int port;
  @Autowired DryRunLedger ledger;
  Api api;

  @BeforeEach
  void client() {
    api = new Api(port);
  }

  private Map<String, Object> parallelRun(String duration, String maxDuration) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("warmup", "0s");
    p.put("duration", duration);
    p.put("sample", 0.5);
    p.put("maxMismatchRate", 0.01);
    p.put("minComparisons", 500);
    p.put("maxDuration", maxDuration);
    return Map.of("parallelRun", p);
  }

  private String start(String plan, String duration, String maxDuration) {
    Map<String, Object> doc =
        aPlan(plan).withStep(parallelRun(duration, maxDuration)).withWeights(50, 100).build();
    Api.Response created = api.post("/api/v1/plans", doc);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    return api.post("/api/v1/rollouts", Map.of("plan", plan, "canary", Map.of("version", "2")))
        .json()
        .path("id")
        .asString();
  }

  private final Map<String, String> tokens = new java.util.HashMap<>();

  private String pipelineToken(String plan) {
    return tokens.computeIfAbsent(plan, this::issue);
  }

  private String issue(String plan) {
    Api.Response issued =
        api.post(
            "/api/v1/tokens",
            Map.of("name", "proxy-" + plan, "role", "pipeline", "plans", List.of(plan)));
    assertThat(issued.status()).as(issued.text()).isEqualTo(201);
    return issued.json().path("token").asString();
  }

  private JsonNode awaitPhase(String id, String phase) {
    await(id + " " + phase)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> api.get("/api/v1/rollouts/" + id).json().path("phase").asString().equals(phase));
    return api.get("/api/v1/rollouts/" + id).json();
  }

  private static SortedSet<String> paths(String... p) {
    return new TreeSet<>(List.of(p));
  }

  /**
   * Counts {@code n} comparisons, {@code bad} of them with a wrong price; timestamps always noise.
   */
  private static void compare(Tally tally, int n, int bad) {
    for (int i = 0; i < n; i++) {
      SortedSet<String> candidate = paths("$.servedAt");
      if (i < bad) {
        candidate.add("$.price.amount");
      }
      tally.compared(
          "quote",
          candidate,
          paths("$.servedAt"),
          () ->
              new ComparisonReport.Sample(
                  "quote",
                  List.copyOf(candidate),
                  "GET /api/quote?item=7",
                  "",
                  new ComparisonReport.Answer(200, Map.of(), "{\"price\":{\"amount\":1.00}}"),
                  new ComparisonReport.Answer(200, Map.of(), "{\"price\":{\"amount\":1.01}}"),
                  null,
                  Instant.now()));
    }
  }

  private ControllerReporter reporter(
      String plan, Tally tally, AtomicReference<ControllerReporter.Answer> last) {
    return new ControllerReporter(
        URI.create("http://127.0.0.1:" + port),
        plan,
        pipelineToken(plan),
        tally,
        Duration.ofHours(1),
        last::set);
  }

  @Test
  void aCandidateThatAnswersDifferentlyIsRolledBackBeforeItGetsAnyTraffic() {
    String plan = "pr-mismatch";
    String id = start(plan, "1s", "30s");
    Tally tally = new Tally("proxy-a", Clock.systemUTC());
    AtomicReference<ControllerReporter.Answer> last = new AtomicReference<>();
    ControllerReporter reporter = reporter(plan, tally, last);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> reporter.report() && last.get() != null && last.get().sample() > 0);
    assertThat(last.get().rolloutId()).isEqualTo(id);
    assertThat(last.get().sample()).isEqualTo(0.5);

    compare(tally, 1000, 30); // 3 % against a limit of 1 %
    assertThat(reporter.report()).isTrue();

    JsonNode done = awaitPhase(id, "ROLLED_BACK");
    assertThat(done.path("rollbackCause").asString()).isEqualTo("PARALLEL_RUN_MISMATCH");
    assertThat(done.path("reason").asString())
        .contains("30 of 1,000 comparisons mismatched")
        .contains("$.price.amount of quote");
    assertThat(ledger.history(plan)).allMatch(w -> w == 0);
    JsonNode events = api.get("/api/v1/rollouts/" + id + "/events").json();
    assertThat(events.toString()).contains("PARALLEL_RUN").contains("FAIL: 30 of 1,000");

    JsonNode comparisons = api.get("/api/v1/rollouts/" + id + "/comparisons").json();
    assertThat(comparisons.path("comparisons").asLong()).isEqualTo(1000);
    assertThat(comparisons.path("mismatches").asLong()).isEqualTo(30);
    assertThat(comparisons.path("noisy").asLong()).isEqualTo(970);
    JsonNode fields = comparisons.path("endpoints").get(0).path("fields");
    assertThat(fields.get(0).path("path").asString()).isEqualTo("$.price.amount");
    assertThat(fields.get(1).path("noise").asBoolean()).isTrue();
    assertThat(comparisons.path("samples").size()).isPositive();

    // the CLI shows the same: the field that differs, what is noise, a sample
    java.io.StringWriter out = new java.io.StringWriter();
    int code =
        dev.aviary.cli.Aviary.execute(
            new String[] {"rollout", "comparisons", id},
            new java.io.PrintWriter(out),
            new java.io.PrintWriter(new java.io.StringWriter()),
            Map.of(
                "AVIARY_SERVER",
                "http://127.0.0.1:" + port,
                "AVIARY_TOKEN",
                dev.aviary.testing.TestTokens.ADMIN));
    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("1,000 compared: 0 alike, 970 only noise, 30 mismatched (3.00 %, limit 1.00 %)")
        .containsPattern("quote +\\$\\.price\\.amount +3\\.00% +0\\.00% +MISMATCH")
        .containsPattern("quote +\\$\\.servedAt +100\\.00% +100\\.00% +noise")
        .contains("sample: GET /api/quote?item=7 differs at");
  }

  @Test
  void anEqualCandidatePassesAndAReportSentTwiceCountsOnce() {
    String plan = "pr-equal";
    String id = start(plan, "1s", "60s");
    Tally tally = new Tally("proxy-b", Clock.systemUTC());
    AtomicReference<ControllerReporter.Answer> last = new AtomicReference<>();
    ControllerReporter reporter = reporter(plan, tally, last);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> reporter.report() && last.get() != null && last.get().sample() > 0);

    compare(tally, 400, 0);
    ComparisonReport report = tally.drain(id);
    Api proxy = api.withToken(pipelineToken(plan));
    Api.Response first = proxy.post("/api/v1/plans/" + plan + "/comparisons", report);
    Api.Response again = proxy.post("/api/v1/plans/" + plan + "/comparisons", report);
    assertThat(first.json().path("stored").asBoolean()).isTrue();
    assertThat(again.json().path("stored").asBoolean()).isFalse();
    JsonNode status = api.get("/api/v1/rollouts/" + id).json();
    assertThat(status.path("parallelRun").path("comparisons").asLong()).isEqualTo(400);
    assertThat(status.path("parallelRun").path("active").asBoolean()).isTrue();

    compare(tally, 600, 0);
    assertThat(reporter.report()).isTrue();
    JsonNode done = awaitPhase(id, "SUCCEEDED");
    assertThat(ledger.history(plan)).contains(50, 100);
    assertThat(api.get("/api/v1/rollouts/" + id + "/events").json().toString())
        .contains("PASS: 0 of 1,000 comparisons mismatched");
    assertThat(done.path("parallelRun").path("comparisons").asLong()).isEqualTo(1000);
  }

  @Test
  void withoutComparisonsTheRolloutWaitsForAPersonWhoMayResumeToCompareLonger() {
    String plan = "pr-silent";
    String id = start(plan, "1s", "3s");
    JsonNode paused = awaitPhase(id, "PAUSED");
    assertThat(paused.path("reason").asString())
        .contains("too few comparisons to judge: 0 of at least 500 (minComparisons)");
    assertThat(paused.path("waitingFor").asString()).isEqualTo("person");
    assertThat(ledger.history(plan)).allMatch(w -> w == 0);

    // the proxy comes up; a person resumes: maxDuration counts again from the resume
    Tally tally = new Tally("proxy-c", Clock.systemUTC());
    AtomicReference<ControllerReporter.Answer> last = new AtomicReference<>();
    ControllerReporter reporter = reporter(plan, tally, last);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> reporter.report() && last.get() != null && last.get().sample() > 0);
    assertThat(api.post("/api/v1/rollouts/" + id + "/resume", null).status()).isEqualTo(200);
    compare(tally, 1000, 0);
    assertThat(reporter.report()).isTrue();
    awaitPhase(id, "SUCCEEDED");
    assertThat(ledger.history(plan)).contains(100);
  }

  @Test
  void badReportsAndMisplacedStepsAreRefusedNamingEveryField() {
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("source", "");
    bad.put("sequence", -1);
    bad.put("from", "yesterday");
    bad.put("to", "2026-12-01T00:00:00Z");
    bad.put(
        "endpoints",
        List.of(
            Map.of(
                "endpoint",
                "quote",
                "compared",
                5,
                "secondaryCompared",
                9,
                "skipped",
                -1,
                "paths",
                List.of(),
                "signatures",
                List.of())));
    Api.Response r = api.post("/api/v1/plans/anything/comparisons", bad);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.errorFields())
        .contains(
            "source",
            "sequence",
            "from",
            "endpoints[0].secondaryCompared",
            "endpoints[0].skipped",
            "endpoints[0].signatures");

    Map<String, Object> late =
        aPlan("pr-late").withWeights(10).withStep(parallelRun("1m", "5m")).build();
    Api.Response refused = api.post("/api/v1/plans", late);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.errorFields()).contains("steps[1].parallelRun");
    assertThat(refused.text()).contains("must come before any traffic moves");
  }
}
