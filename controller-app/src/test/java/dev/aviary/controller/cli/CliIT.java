package dev.aviary.controller.cli;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aviary.cli.Aviary;
import dev.aviary.cli.ExitCodes;
import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import dev.aviary.controller.support.MetricEndpoint;
import dev.aviary.testing.TextHttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The aviary CLI against a real controller: what a CI job would run, and its exit codes. */
@AviaryIntegrationTest
class CliIT {

  static final MetricEndpoint METRICS = new MetricEndpoint();

  @LocalServerPort int port;

  @AfterAll
  static void stop() {
    METRICS.close();
  }

  record Run(int code, String out, String err) {}

  /** Runs the CLI as the admin, the token in AVIARY_TOKEN. */
  private Run aviary(String... args) {
    return aviaryWith(
        Map.of(
            "AVIARY_SERVER",
            "http://127.0.0.1:" + port,
            "AVIARY_TOKEN",
            dev.aviary.testing.TestTokens.ADMIN),
        args);
  }

  private Run aviaryWith(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Aviary.execute(args, new PrintWriter(out), new PrintWriter(err), env);
    return new Run(code, out.toString(), err.toString());
  }

  /** A pipeline token for {@code plan} only, in a file, as a CI job would hold it. */
  private Path pipelineTokenFile(String plan) throws Exception {
    Api.Response issued =
        new Api(port)
            .post(
                "/api/v1/tokens",
                Map.of("name", "ci-" + plan, "role", "pipeline", "plans", List.of(plan)));
    assertThat(issued.status()).as(issued.text()).isEqualTo(201);
    Path file = Files.createTempFile("token", ".txt");
    Files.writeString(file, issued.json().path("token").asString() + "\n");
    return file;
  }

  private Path planFile(Map<String, Object> plan) throws Exception {
    Path file = Files.createTempFile("plan", ".json");
    Files.writeString(file, JsonMapper.builder().build().writeValueAsString(plan));
    return file;
  }

  private void applyErrorRatePlan(String name) throws Exception {
    Map<String, Object> plan =
        aPlan(name)
            .withWeights(25, 100)
            .withWebMetric("error-rate", METRICS.urlTemplate(name), 0.01)
            .withAnalysis("interval", "1s")
            .build();
    Run applied = aviary("plan", "apply", "-f", planFile(plan).toString());
    assertThat(applied.code()).as(applied.err()).isZero();
  }

  @Test
  void anAdminIssuesListsAndRevokesTokensAndWhoamiTellsWhoATokenIs() throws Exception {
    Path file = Files.createTempDirectory("cli-token").resolve("ci.token");
    Run created =
        aviary(
            "token",
            "create",
            "cli-issued",
            "--role",
            "pipeline",
            "--plan",
            "cli-healthy",
            "--plan-label",
            "team=payments",
            "--expires-in",
            "7d",
            "--out",
            file.toString());
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(created.out()).contains("token cli-issued issued: role pipeline");
    String token = Files.readString(file).strip();
    assertThat(token).startsWith("avy_");
    assertThat(created.out()).doesNotContain(token);
    assertThat(java.nio.file.Files.getPosixFilePermissions(file))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

    Map<String, String> server = Map.of("AVIARY_SERVER", "http://127.0.0.1:" + port);
    Run whoami = aviaryWith(server, "--token-file", file.toString(), "whoami");
    assertThat(whoami.out().strip())
        .startsWith("token:cli-issued (pipeline), plans: cli-healthy, team=payments, expires ");

    Run listed = aviary("token", "list");
    assertThat(listed.out().lines())
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("cli-issued")
                    .contains("pipeline")
                    .contains("active")
                    .endsWith("cli-healthy,team=payments"))
        .noneSatisfy(l -> assertThat(l).contains(token));

    assertThat(aviary("token", "revoke", "cli-issued").out()).contains("token cli-issued revoked");
    Run refused = aviaryWith(server, "--token-file", file.toString(), "whoami");
    assertThat(refused.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(refused.err()).contains("The bearer token was refused");
    assertThat(aviary("token", "list", "--all").out()).contains("revoked");
  }

  @Test
  void aMetricTemplateIsAppliedFromYamlNamedByAPlanListedWithItsUsersAndDeletedOnceUnused()
      throws Exception {
    Path template = Files.createTempFile("template", ".yaml");
    Files.writeString(
        template,
        """
        name: cli-errors
        description: 5xx share of a job
        parameters:
          - name: job
        counts:
          bad: sum(increase(http_requests_total{job="${job}",version="${version}",code=~"5.."}[${window}]))
          total: sum(increase(http_requests_total{job="${job}",version="${version}"}[${window}]))
        """);
    Run created = aviary("template", "apply", "-f", template.toString());
    assertThat(created.out())
        .as(created.err())
        .isEqualTo("template cli-errors created, revision 1\n");
    assertThat(aviary("template", "apply", "-f", template.toString()).out())
        .isEqualTo("template cli-errors unchanged, revision 1\n");

    Path plan = Files.createTempFile("plan", ".yaml");
    Files.writeString(
        plan,
        """
        name: cli-template-user
        router: {type: dry-run}
        steps: [{setWeight: 20}, {setWeight: 100}]
        analysis:
          metrics:
            - name: errors
              template: cli-errors
              variables: {job: checkout}
              provider: {type: prometheus, address: "http://127.0.0.1:9"}
        """);
    Run applied = aviary("plan", "apply", "-f", plan.toString());
    assertThat(applied.out())
        .as(applied.err())
        .isEqualTo("plan cli-template-user created, revision 1\n");

    Run listed = aviary("template", "list");
    assertThat(listed.out())
        .containsPattern(
            "(?m)^cli-errors\\s+1\\s+counts\\s+\\(the plan's\\)\\s+cli-template-user$");

    Run refused = aviary("template", "delete", "cli-errors");
    assertThat(refused.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(refused.err()).contains("cli-template-user");
    assertThat(aviary("plan", "delete", "cli-template-user").code()).isZero();
    Run deleted = aviary("template", "delete", "cli-errors");
    assertThat(deleted.out()).as(deleted.err()).isEqualTo("template cli-errors deleted\n");
  }

  @Test
  void yamlPlansApplyUnchangedDiffAndDeleteAsAKubectlUserExpects() throws Exception {
    Path yaml = Files.createTempFile("plan", ".yaml");
    Files.writeString(
        yaml,
        """
        name: cli-yaml
        router:
          type: dry-run
        steps:
          - setWeight: 20
          - setWeight: 100
        """);
    Run created = aviary("plan", "apply", "-f", yaml.toString());
    assertThat(created.out()).as(created.err()).isEqualTo("plan cli-yaml created, revision 1\n");
    Run again = aviary("plan", "apply", "-f", yaml.toString());
    assertThat(again.out()).isEqualTo("plan cli-yaml unchanged, revision 1\n");
    Run same = aviary("plan", "diff", "-f", yaml.toString());
    assertThat(same.code()).isZero();
    assertThat(same.out()).startsWith("no difference");

    Files.writeString(yaml, Files.readString(yaml).replace("setWeight: 20", "setWeight: 30"));
    Run differs = aviary("plan", "diff", "-f", yaml.toString());
    assertThat(differs.code()).as(differs.err()).isEqualTo(1);
    assertThat(differs.out())
        .startsWith("--- plan cli-yaml, revision 1\n+++ " + yaml)
        .contains("-    \"setWeight\" : 20\n+    \"setWeight\" : 30");
    assertThat(aviary("plan", "apply", "-f", yaml.toString()).out())
        .isEqualTo("plan cli-yaml updated, revision 2\n");
    Run revisions = aviary("plan", "diff", "cli-yaml");
    assertThat(revisions.out())
        .startsWith("--- plan cli-yaml, revision 1\n+++ plan cli-yaml, revision 2")
        .contains("+    \"setWeight\" : 30");

    Files.writeString(yaml, "name: cli-yaml\nsteps:\n  - setWeight: [20\n");
    Run broken = aviary("plan", "apply", "-f", yaml.toString());
    assertThat(broken.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(broken.err())
        .contains(yaml + ", line ")
        .contains("column")
        .contains("not valid YAML");
    Path json = Files.createTempFile("plan", ".json");
    Files.writeString(json, "{\n  \"name\": \"cli-yaml\",\n  \"steps\": [,]\n}");
    assertThat(aviary("plan", "apply", "-f", json.toString()).err())
        .contains(json + ", line 3, column ")
        .contains("not valid JSON");

    assertThat(
            JsonMapper.builder()
                .build()
                .readTree(aviary("plan", "list", "--prefix", "cli-yaml", "-o", "json").out())
                .path("items")
                .get(0)
                .path("name")
                .asString())
        .isEqualTo("cli-yaml");
    assertThat(aviary("whoami", "-o", "json").out()).contains("\"actor\"");
    assertThat(aviary("token", "list", "-o", "json").out()).contains("\"items\"");
    assertThat(aviary("plan", "list", "-o", "yaml").code()).isEqualTo(ExitCodes.USAGE);

    Run deleted = aviary("plan", "delete", "cli-yaml");
    assertThat(deleted.out()).isEqualTo("plan cli-yaml deleted\n");
    assertThat(aviary("plan", "get", "cli-yaml").code()).isEqualTo(ExitCodes.ERROR);
  }

  @Test
  void planApplyCreatesThenUpdates() throws Exception {
    Path file = planFile(aPlan("cli-applied").withWeights(50, 100).build());
    assertThat(aviary("plan", "apply", "-f", file.toString()).out())
        .contains("plan cli-applied created, revision 1");
    assertThat(aviary("plan", "apply", "-f", file.toString()).out())
        .contains("plan cli-applied unchanged, revision 1");
    Path changed = planFile(aPlan("cli-applied").withWeights(60, 100).build());
    assertThat(aviary("plan", "apply", "-f", changed.toString()).out())
        .contains("plan cli-applied updated, revision 2");
    Run bad =
        aviary(
            "plan",
            "apply",
            "-f",
            planFile(aPlan("cli-bad").withWeights(50, 10).build()).toString());
    assertThat(bad.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(bad.err())
        .contains("steps[1].setWeight: must not be lower than the weight before it");
  }

  @Test
  void aPipelineTokenWaitingOnAHealthyCanarySeesStepsWeightsAndVerdictsAndExits0()
      throws Exception {
    applyErrorRatePlan("cli-healthy");
    METRICS.set("cli-healthy", "4.0", 0.0);
    Run run =
        aviaryWith(
            Map.of("AVIARY_SERVER", "http://127.0.0.1:" + port),
            "--token-file",
            pipelineTokenFile("cli-healthy").toString(),
            "rollout",
            "start",
            "--plan",
            "cli-healthy",
            "--version",
            "4.0",
            "--meta",
            "commit=abc123",
            "--wait",
            "--timeout",
            "2m");
    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(ExitCodes.SUCCEEDED);
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0))
        .startsWith("rollout ")
        .endsWith("of plan cli-healthy (version 4.0, to the canary servers): PENDING");
    assertThat(lines).anySatisfy(l -> assertThat(l).endsWith("step 1/2: setWeight 25%"));
    assertThat(lines).anySatisfy(l -> assertThat(l).endsWith("weight 0% -> 25%"));
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("analysis SUCCESS: verdict PASS, score 100.0; error-rate PASS"));
    assertThat(lines).anySatisfy(l -> assertThat(l).endsWith("weight 25% -> 100%"));
    assertThat(lines).anySatisfy(l -> assertThat(l).endsWith("step 2/2: setWeight 100%"));
    assertThat(lines.get(lines.size() - 1)).startsWith("result: SUCCEEDED");

    // every analysis keeps its queries as they were sent
    String id = lines.get(0).split(" ")[1];
    JsonNode analysis = new Api(port).get("/api/v1/rollouts/" + id + "/analyses").json();
    assertThat(
            analysis.path("items").get(0).path("values").get(0).path("queries").get(0).asString())
        .isEqualTo(
            "canary: GET " + METRICS.urlTemplate("cli-healthy").replace("${version}", "4.0"));
  }

  @Test
  void aPipelineWaitsThroughAnApprovalBefore100PercentThatAPersonGivesWithTheCli()
      throws Exception {
    Path plan =
        planFile(
            aPlan("cli-approved")
                .withWeights(10)
                .withStep(Map.of("approval", Map.of("excludeStarter", true, "timeout", "1h")))
                .withWeights(100)
                .build());
    assertThat(aviary("plan", "apply", "-f", plan.toString()).code()).isZero();
    Map<String, String> pipeline = Map.of("AVIARY_SERVER", "http://127.0.0.1:" + port);
    String tokenFile = pipelineTokenFile("cli-approved").toString();
    CompletableFuture<Run> pipelineRun =
        CompletableFuture.supplyAsync(
            () ->
                aviaryWith(
                    pipeline,
                    "--token-file",
                    tokenFile,
                    "rollout",
                    "start",
                    "--plan",
                    "cli-approved",
                    "--version",
                    "5.0",
                    "--wait",
                    "--timeout",
                    "2m"));
    Api api = new Api(port);
    String id =
        await("the rollout waiting for approval")
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  JsonNode items =
                      api.get("/api/v1/rollouts?plan=cli-approved").json().path("items");
                  return items.isEmpty() || !items.get(0).path("approval").isObject()
                      ? null
                      : items.get(0).path("id").asString();
                },
                java.util.Objects::nonNull);

    Run status = aviary("rollout", "status", id);
    assertThat(status.out())
        .contains("PROGRESSING, step 2/3")
        .contains(
            "canary weight 10%; waiting for approval by any operator, not the caller who started"
                + " the rollout until ");
    Run usage = aviary("rollout", "reject", id);
    assertThat(usage.code()).as("a rejection says why").isEqualTo(ExitCodes.USAGE);
    Run approved = aviary("rollout", "approve", id, "--reason", "CHG-7 signed off");
    assertThat(approved.code()).as(approved.err()).isZero();

    Run waited = pipelineRun.get(2, java.util.concurrent.TimeUnit.MINUTES);
    assertThat(waited.code()).as(waited.out() + waited.err()).isEqualTo(ExitCodes.SUCCEEDED);
    assertThat(waited.out())
        .contains("approval: step 2 needs approval by any operator")
        .contains("approval: step 2 approved by token:bootstrap-admin: CHG-7 signed off")
        .contains("result: SUCCEEDED");

    // the next release is rejected: the pipeline hears "not approved", not "the canary failed"
    String second =
        aviaryWith(
                pipeline,
                "--token-file",
                tokenFile,
                "rollout",
                "start",
                "--plan",
                "cli-approved",
                "--version",
                "5.1")
            .out()
            .split(" ")[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.get("/api/v1/rollouts/" + second).json().path("approval").isObject());
    Run rejected = aviary("rollout", "reject", second, "--reason", "freeze for the sale");
    assertThat(rejected.code()).as(rejected.err()).isZero();
    Run result = aviary("rollout", "status", second, "--wait", "--timeout", "1m");
    assertThat(result.code()).as(result.out()).isEqualTo(ExitCodes.NOT_APPROVED);
  }

  @Test
  void anAdminFreezesAPlansReleasesWithTheCliAndLiftingTheFreezeLetsTheRolloutFinish()
      throws Exception {
    Path plan =
        planFile(
            aPlan("cli-frozen")
                .withLabels(Map.of("team", "cli-frozen"))
                .withWeights(10, 100)
                .build());
    assertThat(aviary("plan", "apply", "-f", plan.toString()).code()).isZero();
    Run usage = aviary("freeze", "start", "--reason", "sale");
    assertThat(usage.code()).as("when it ends is required").isEqualTo(ExitCodes.USAGE);
    Run declared =
        aviary("freeze", "start", "--reason", "sale", "--label", "team=cli-frozen", "--for", "1h");
    assertThat(declared.code()).as(declared.err()).isZero();
    assertThat(declared.out()).startsWith("freeze ").contains("\"sale\" on team=cli-frozen, ");
    assertThat(declared.out().strip()).endsWith("in force");
    String freeze = declared.out().split(" ")[1];
    assertThat(aviary("freeze", "list").out()).contains(freeze);

    String id =
        aviary("rollout", "start", "--plan", "cli-frozen", "--version", "1").out().split(" ")[1];
    Api api = new Api(port);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.get("/api/v1/rollouts/" + id).json().path("hold").isString());
    assertThat(aviary("rollout", "status", id).out())
        .contains("canary weight 0%; held: freeze \"sale\" on team=cli-frozen until ");

    Run lifted = aviary("freeze", "lift", freeze);
    assertThat(lifted.code()).as(lifted.err()).isZero();
    assertThat(lifted.out())
        .startsWith("lifted: " + freeze)
        .contains("lifted by token:bootstrap-admin");
    Run done = aviary("rollout", "status", id, "--wait", "--timeout", "1m");
    assertThat(done.code()).as(done.out()).isEqualTo(ExitCodes.SUCCEEDED);
    assertThat(api.get("/api/v1/rollouts/" + id + "/events").text())
        .contains("the release gate opened: traffic may rise again");
    Run again = aviary("freeze", "lift", freeze);
    assertThat(again.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(again.err()).contains("was lifted already");

    Run limit =
        aviary("limit", "set", "--label", "team=cli-frozen", "--max", "2", "--reason", "two lanes");
    assertThat(limit.code()).as(limit.err()).isZero();
    assertThat(limit.out())
        .contains(" at most 2 rollouts at once of team=cli-frozen (\"two lanes\"), set by token:");
    String limitId = limit.out().split(" ")[1];
    assertThat(aviary("limit", "list").out()).contains(limitId);
    Run removed = aviary("limit", "remove", limitId);
    assertThat(removed.code()).as(removed.err()).isZero();
    assertThat(aviary("limit", "list").out()).doesNotContain(limitId);
  }

  @Test
  void aNotificationGivenUpIsListedAndSentAgainFromTheCli() throws Exception {
    try (TextHttpServer receiver = new TextHttpServer()) {
      // a receiver that does not know the path yet: 404, which no retry mends
      Map<String, Object> plan =
          aPlan("cli-notified")
              .withWeights(100)
              .with(
                  "notifications",
                  List.of(Map.of("url", receiver.url("/hook"), "on", List.of("promoted"))))
              .build();
      assertThat(aviary("plan", "apply", "-f", planFile(plan).toString()).code()).isZero();
      Run started =
          aviary("rollout", "start", "--plan", "cli-notified", "--version", "1", "--wait");
      assertThat(started.code()).as(started.out()).isEqualTo(ExitCodes.SUCCEEDED);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  aviary("notification", "list", "--failed", "--plan", "cli-notified")
                      .out()
                      .contains("failed"));
      String line = aviary("notification", "list", "--failed", "--plan", "cli-notified").out();
      assertThat(line)
          .contains(" failed ", " webhook ", "promoted of cli-notified", "after 1 attempt")
          .contains("answered HTTP 404");
      String id = line.strip().split(" ")[0];

      receiver.answer("/hook", TextHttpServer.Reply.ok("text/plain", "ok"));
      Run retried = aviary("notification", "retry", id);
      assertThat(retried.code()).as(retried.err()).isZero();
      assertThat(retried.out()).startsWith("sending again: " + id + " pending ");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  aviary("notification", "list", "--state", "delivered", "--plan", "cli-notified")
                      .out()
                      .startsWith(id + " delivered "));
      assertThat(receiver.requests().stream().filter(r -> r.path().equals("/hook")).count())
          .isEqualTo(2);
      Run again = aviary("notification", "retry", id);
      assertThat(again.code()).isEqualTo(ExitCodes.ERROR);
      assertThat(again.err()).contains("was delivered at");
    }
  }

  @Test
  void planCheckShowsEachQueryAsSentAndWhatCameBackWithCredentialsMasked() throws Exception {
    Map<String, Object> plan =
        aPlan("cli-check")
            .withWeights(25, 100)
            .withWebMetric(
                "error-rate", METRICS.urlTemplate("cli-check") + "?api_key=sekret&env=prod", 0.01)
            .build();
    assertThat(aviary("plan", "apply", "-f", planFile(plan).toString()).code()).isZero();
    METRICS.set("cli-check", "5.0", 0.004);

    Run found = aviary("plan", "check", "--plan", "cli-check", "--version", "5.0");
    assertThat(found.code()).as(found.out() + found.err()).isEqualTo(ExitCodes.SUCCEEDED);
    String url = METRICS.urlTemplate("cli-check").replace("${version}", "5.0");
    assertThat(found.out())
        .contains("error-rate: PASS")
        .contains("  canary: GET " + url + "?api_key=***&env=prod")
        .contains("  canary values: 0.004")
        .doesNotContain("sekret");

    Run missing = aviary("plan", "check", "--plan", "cli-check", "--version", "5.1");
    assertThat(missing.code()).as("no data is worth a failed check").isEqualTo(ExitCodes.ERROR);
    assertThat(missing.out())
        .contains("error-rate: ")
        .contains("canary: GET " + url.replace("5.0", "5.1") + "?api_key=***&env=prod");

    Run json = aviary("plan", "check", "--plan", "cli-check", "--version", "5.0", "-o", "json");
    assertThat(
            JsonMapper.builder()
                .build()
                .readTree(json.out())
                .path("metrics")
                .get(0)
                .path("canary")
                .get(0)
                .asDouble())
        .isEqualTo(0.004);

    Run noVersion = aviary("plan", "check", "--plan", "cli-check");
    assertThat(noVersion.code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void waitingOnAFailingCanaryExits2() throws Exception {
    applyErrorRatePlan("cli-failing");
    METRICS.set("cli-failing", "4.0", 0.2);
    Run run = aviary("rollout", "start", "--plan", "cli-failing", "--version", "4.0", "--wait");
    assertThat(run.code()).as(run.out()).isEqualTo(ExitCodes.ROLLED_BACK);
    assertThat(run.out()).contains("analysis FAILURE").contains("result: ROLLED_BACK");
  }

  @Test
  void aCanaryThatCouldNotBeJudgedExits6NotAsAFailedOne() throws Exception {
    int dead = dev.aviary.testing.FreePorts.next();
    Map<String, Object> plan =
        aPlan("cli-unjudged")
            .withWeights(25, 100)
            .withWebMetric("error-rate", "http://127.0.0.1:" + dead + "/errors", 0.01)
            .withAnalysis("interval", "1s")
            .withAnalysis("consecutiveErrorLimit", 1)
            .withAnalysis("errorAction", "rollback")
            .build();
    assertThat(aviary("plan", "apply", "-f", planFile(plan).toString()).code()).isZero();
    Run run = aviary("rollout", "start", "--plan", "cli-unjudged", "--version", "2", "--wait");
    assertThat(run.code()).as(run.out()).isEqualTo(ExitCodes.NOT_JUDGED);
    assertThat(run.out())
        .contains("analysis ERROR: no verdict, the metrics could not be fetched")
        .contains("connection refused")
        .contains("result: ROLLED_BACK")
        .doesNotContain("verdict FAIL");
  }

  @Test
  void anAbortedRolloutExits3ATimeoutExits5AndStatusWaitFollowsFromWhereTheRolloutStands()
      throws Exception {
    Path plan =
        planFile(
            aPlan("cli-gated")
                .withWeights(10)
                .withStep(Map.of("pause", Map.of()))
                .withWeights(100)
                .build());
    aviary("plan", "apply", "-f", plan.toString());
    Run started = aviary("rollout", "start", "--plan", "cli-gated", "--version", "1");
    String id = started.out().split(" ")[1];
    Api api = new Api(port);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.get("/api/v1/rollouts/" + id).json().path("phase").asString().equals("PAUSED"));

    Run timedOut = aviary("rollout", "status", id, "--wait", "--timeout", "2s");
    assertThat(timedOut.code()).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(timedOut.out()).contains("timed out").contains("PAUSED");
    assertThat(timedOut.out().lines().findFirst().orElseThrow())
        .as("status --wait starts with where the rollout stands")
        .startsWith("rollout " + id + " of cli-gated: PAUSED, step 2/3");
    assertThat(timedOut.out())
        .as("and follows what happens next, not the history")
        .doesNotContain("accepted by the controller")
        .doesNotContain("weight 0% -> 10%");
    Run unknown =
        aviary(
            "rollout",
            "status",
            "00000000-0000-4000-8000-000000000000",
            "--wait",
            "--timeout",
            "60m");
    assertThat(unknown.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(unknown.err()).contains("no rollout");

    CompletableFuture<Run> waiting =
        CompletableFuture.supplyAsync(
            () -> aviary("rollout", "status", id, "--wait", "--timeout", "2m"));
    Run aborted = aviary("rollout", "abort", id);
    assertThat(aborted.code()).isZero();
    assertThat(aborted.out()).contains("ROLLING_BACK");
    Run result = waiting.join();
    assertThat(result.code()).isEqualTo(ExitCodes.ABORTED);
    assertThat(result.out()).contains("result: ABORTED");
    // the abort is either what happened next (an event) or already where the rollout stood when
    // the wait began (its first line): status --wait prints what is new, not the history
    String first = result.out().lines().findFirst().orElseThrow();
    assertThat(
            result.out().contains("action: abort requested")
                || first.contains(": ROLLING_BACK,")
                || first.contains(": ABORTED,"))
        .as(result.out())
        .isTrue();

    Run refused = aviary("rollout", "pause", id);
    assertThat(refused.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(refused.err()).contains("cannot pause a ABORTED rollout");
  }

  @Test
  void aRouterThatCannotBeDrivenExits4() throws Exception {
    try (dev.aviary.testing.TextHttpServer broken = new dev.aviary.testing.TextHttpServer()) {
      broken.answer(
          "/router", new dev.aviary.testing.TextHttpServer.Reply(503, "text/plain", "down"));
      Path plan =
          planFile(
              aPlan("cli-unroutable")
                  .withRouter(Map.of("type", "webhook", "url", broken.url("/router")))
                  .withWeights(100)
                  .build());
      aviary("plan", "apply", "-f", plan.toString());
      Run run =
          aviary(
              "rollout",
              "start",
              "--plan",
              "cli-unroutable",
              "--version",
              "1",
              "--wait",
              "--timeout",
              "2m");
      assertThat(run.code()).as(run.out()).isEqualTo(ExitCodes.FAILED);
      assertThat(run.out())
          .contains("warning: could not set the canary weight to 100%")
          .contains("result: FAILED");
    }
  }

  @Test
  void aWrongCommandLineExits64AndAnUnreachableServerExits1WithTheUrlAndTheCause() {
    assertThat(aviary("rollout", "start", "--plan", "x").code()).isEqualTo(ExitCodes.USAGE);
    String server = "http://127.0.0.1:" + dev.aviary.testing.FreePorts.next();
    Run run =
        aviaryWith(
            Map.of("AVIARY_SERVER", server),
            "rollout",
            "status",
            "00000000-0000-0000-0000-000000000000");
    assertThat(run.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(run.err())
        .contains("cannot reach the server at " + server + ": connection refused")
        .contains("AVIARY_SERVER")
        .doesNotContain("null");
  }

  @Test
  void anEmptyTokenIsRefusedBeforeAnythingIsSentAndAMissingOneSaysWhereTheFirstIs() {
    String server = "http://127.0.0.1:" + port;
    Run empty = aviaryWith(Map.of("AVIARY_SERVER", server, "AVIARY_TOKEN", ""), "whoami");
    assertThat(empty.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(empty.err()).contains("AVIARY_TOKEN is set but empty");
    Run missing = aviaryWith(Map.of("AVIARY_SERVER", server), "whoami");
    assertThat(missing.err()).contains("no token was sent").contains(".aviary/admin-token");
  }

  @Test
  void aBadTimeoutIsRefusedBeforeAnyRolloutIsStarted() {
    Api api = new Api(port);
    assertThat(api.post("/api/v1/plans", aPlan("cli-timeout").withWeights(100).build()).status())
        .isEqualTo(201);
    Run run =
        aviary(
            "rollout",
            "start",
            "--plan",
            "cli-timeout",
            "--version",
            "1",
            "--wait",
            "--timeout",
            "soon");
    assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("'soon' is not a duration");
    assertThat(api.get("/api/v1/rollouts?plan=cli-timeout").json().path("totalItems").asInt())
        .isZero();
    assertThat(
            aviary(
                    "rollout",
                    "start",
                    "--plan",
                    "cli-timeout",
                    "--version",
                    "1",
                    "--wait",
                    "--timeout",
                    "1d")
                .code())
        .isEqualTo(ExitCodes.SUCCEEDED);
  }

  @Test
  void everySubcommandHasHelpAndRolloutsAndPlansAreListedWithWhereTheNextReleaseGoes() {
    Run help = aviary("token", "--help");
    assertThat(help.code()).isEqualTo(ExitCodes.SUCCEEDED);
    assertThat(help.out()).contains("Usage: aviary token").contains("create").contains("revoke");
    assertThat(aviary("rollout", "start", "--help").out()).contains("--plan");
    Api api = new Api(port);
    assertThat(api.post("/api/v1/plans", aPlan("cli-list").withWeights(100).build()).status())
        .isEqualTo(201);
    assertThat(aviary("plan", "next-slot", "cli-list").out().strip()).isEqualTo("canary");
    Run started = aviary("rollout", "start", "--plan", "cli-list", "--version", "7.1", "--wait");
    assertThat(started.code()).as(started.out() + started.err()).isEqualTo(ExitCodes.SUCCEEDED);
    assertThat(aviary("plan", "next-slot", "cli-list").out().strip()).isEqualTo("stable");
    Run list = aviary("rollout", "list", "--plan", "cli-list");
    assertThat(list.code()).isEqualTo(ExitCodes.SUCCEEDED);
    assertThat(list.out().lines().toList())
        .hasSize(2)
        .last()
        .satisfies(
            line ->
                assertThat(line)
                    .contains("cli-list")
                    .contains("SUCCEEDED")
                    .contains("100%")
                    .contains("canary")
                    .contains("7.1"));
    assertThat(aviary("rollout", "list", "--plan", "cli-list", "-o", "json").out())
        .contains("\"totalItems\" : 1");
    assertThat(aviary("plan", "list", "--prefix", "cli-list").out())
        .containsPattern("cli-list\\s+1\\s+dry-run\\s+1");
  }

  /** The plain-curl script of docs/ci-integration.md, run by bash as a CI job would. */
  private record Script(int code, String out, String err) {}

  private Script curlScript(Map<String, String> env) throws Exception {
    String page = Files.readString(Path.of("..", "docs", "ci-integration.md"));
    String section = page.substring(page.indexOf("## Plain curl"));
    int start = section.indexOf("```sh\n") + 6;
    String script = section.substring(start, section.indexOf("\n```", start)) + "\n";
    Path file = Files.createTempFile("ci-curl", ".sh");
    Files.writeString(file, script);
    ProcessBuilder pb = new ProcessBuilder("bash", file.toString());
    pb.environment().put("AVIARY_SERVER", "http://127.0.0.1:" + port);
    pb.environment().put("AVIARY_TOKEN", dev.aviary.testing.TestTokens.ADMIN);
    pb.environment().put("COMMIT_SHA", "abc123");
    pb.environment().putAll(env);
    Path out = Files.createTempFile("ci-curl", ".out");
    Path err = Files.createTempFile("ci-curl", ".err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    return new Script(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void theDocumentedCurlScriptPromotesAndShowsTheServersReasonWhenRefused() throws Exception {
    Api api = new Api(port);
    assertThat(api.post("/api/v1/plans", aPlan("cli-curl").withWeights(50, 100).build()).status())
        .isEqualTo(201);
    Script promoted =
        curlScript(Map.of("PLAN", "cli-curl", "VERSION", "2.0", "PIPELINE_ID", "curl-1"));
    assertThat(promoted.code()).as(promoted.out() + promoted.err()).isZero();
    assertThat(promoted.out()).startsWith("rollout ").contains("promoted");
    Script refused =
        curlScript(Map.of("PLAN", "no-such-plan", "VERSION", "2.0", "PIPELINE_ID", "curl-2"));
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err())
        .contains("the rollout was not started (HTTP 400)")
        .contains("no-such-plan");
  }

  @Test
  void aMissingPlanFileIsNamedAsAFileNotAsAServerThatCannotBeReached() {
    Run run =
        aviaryWith(
            Map.of("AVIARY_SERVER", "http://127.0.0.1:" + port),
            "plan",
            "apply",
            "-f",
            "hello.jsn");
    assertThat(run.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(run.err()).contains("no such file: hello.jsn").doesNotContain("reach");
  }
}
