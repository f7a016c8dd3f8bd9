package dev.aviary.controller.dashboard;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import dev.aviary.controller.support.MetricEndpoint;
import dev.aviary.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in a real (headless) Chromium against the whole controller: signing in, following a
 * rollout live, reading why a canary was rolled back, the controls a role may use and the ones it
 * may not, a plan's revision diff, CSRF, the Content-Security-Policy and an accessibility check.
 */
@AviaryIntegrationTest
class DashboardBrowserIT {

  static MetricEndpoint metrics;
  static Browser browser;

  @LocalServerPort int port;
  Api api;

  @BeforeAll
  static void metrics() {
    metrics = new MetricEndpoint();
  }

  @AfterAll
  static void close() {
    metrics.close();
    if (browser != null) {
      browser.close();
    }
  }

  @BeforeEach
  void open() {
    api = new Api(port);
    if (browser == null) {
      browser = Browser.open("http://localhost:" + port);
    }
    browser.size(1280, 800);
    browser.go("/sign-in");
    browser.driver.manage().deleteAllCookies();
  }

  @AfterEach
  void noScriptErrorsAndNoPolicyRefusals() {
    if (browser != null) {
      assertThat(browser.severeConsoleEntries()).as("the page's console").isEmpty();
    }
  }

  private String token(String name, String role) {
    Api.Response r = api.post("/api/v1/tokens", Map.of("name", name, "role", role));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().path("token").asString();
  }

  /** 10 %, a pause a person ends, 50 %, 100 %: on the dry-run router. */
  private void gatedPlan(String name) {
    Api.Response r =
        api.post(
            "/api/v1/plans",
            aPlan(name)
                .withWeights(10)
                .withStep(Map.of("pause", Map.of()))
                .withWeights(50, 100)
                .build());
    assertThat(r.status()).as(r.text()).isEqualTo(201);
  }

  private String start(String plan, String version) {
    Api.Response r =
        api.post(
            "/api/v1/rollouts",
            Map.of(
                "plan",
                plan,
                "canary",
                Map.of("version", version),
                "baseline",
                Map.of("version", "1")));
    assertThat(r.status()).as(r.text()).isIn(200, 201);
    return r.json().path("id").asString();
  }

  private JsonNode rollout(String id) {
    return api.get("/api/v1/rollouts/" + id).json();
  }

  private void awaitPhase(String id, String phase) {
    await(id + " " + phase)
        .atMost(Duration.ofSeconds(30))
        .until(() -> rollout(id).path("phase").asString().equals(phase));
  }

  @Test
  void aBadTokenIsToldClearlyAndAGoodOneSignsInWithACookieThePageCannotRead() throws Exception {
    browser.go("/rollouts");
    browser.find(By.id("token")); // not signed in: the sign-in form, not data
    assertThat(browser.driver.getCurrentUrl()).contains("/sign-in?next=%2Frollouts");
    browser.screenshot("sign-in");
    assertThat(browser.accessibilityViolations()).isEmpty();

    browser.find(By.id("token")).sendKeys("avy_not-a-token-anyone-issued");
    browser.click(By.id("sign-in"));
    WebElement alert = browser.waitText(By.cssSelector("[role=alert]"), "unknown");
    assertThat(alert.getText()).contains("the token is unknown, has expired or was revoked");

    browser.find(By.id("token")).clear();
    browser.find(By.id("token")).sendKeys(TestTokens.ADMIN);
    browser.click(By.id("sign-in"));
    browser.find(By.id("sign-out"));
    assertThat(browser.driver.getCurrentUrl()).endsWith("/rollouts");
    // the session cookie is HttpOnly: the page's scripts cannot read it
    assertThat((String) browser.script("return document.cookie")).doesNotContain("aviary_session");
    assertThat(browser.driver.manage().getCookieNamed("aviary_session").isHttpOnly()).isTrue();

    // signing out ends the session on the server, not only in this browser
    String cookie = browser.driver.manage().getCookieNamed("aviary_session").getValue();
    browser.click(By.id("sign-out"));
    browser.find(By.id("token"));
    HttpResponse<String> after =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/rollouts"))
                    .header("Cookie", "aviary_session=" + cookie)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(after.statusCode()).isEqualTo(401);
  }

  @Test
  void aRolloutStartedWhileThePageIsOpenAppearsAndMovesThroughItsStepsWithoutAReload()
      throws Exception {
    gatedPlan("dash-live");
    browser.signIn(TestTokens.ADMIN);
    browser.go("/rollouts?plan=dash-live");
    browser.waitText(By.id("live"), "Live");
    browser.script("window.__sameDocument = 'yes'");

    String id = start("dash-live", "2");
    WebElement row = browser.find(By.cssSelector("tr[data-rollout='" + id + "']"));
    assertThat(row.getText()).contains("dash-live");
    browser.waitText(By.cssSelector("tr[data-rollout='" + id + "'] td.phase"), "paused");

    browser.click(By.linkText(id.substring(0, 8)));
    browser.waitText(By.id("live"), "Live");
    WebElement current = browser.find(By.cssSelector("ol.steps li[aria-current=step]"));
    assertThat(current.getText()).startsWith("2. pause");
    browser.find(By.cssSelector("#weight-chart"));
    browser.screenshot("rollout-live");

    assertThat(api.post("/api/v1/rollouts/" + id + "/resume", null).status()).isEqualTo(200);
    browser.waitText(By.id("summary"), "succeeded");
    // the stream ended with the rollout; the page does not reconnect to a finished rollout
    browser.waitText(By.id("live"), "Finished");
    assertThat(browser.all(By.cssSelector("ol.steps li.done"))).hasSize(4);
    browser.waitText(By.id("timeline"), "50 % → 100 %");
    // no reload happened: the page's state from before the rollout is still there
    assertThat(browser.script("return window.__sameDocument")).isEqualTo("yes");
    assertThat(browser.accessibilityViolations()).isEmpty();

    browser.go("/rollouts");
    browser.find(By.id("rollout-table"));
    browser.screenshot("rollouts");
    assertThat(browser.accessibilityViolations()).isEmpty();
  }

  @Test
  void aRolledBackCanaryShowsTheMetricAndTheSentenceThatDecidedIt() throws Exception {
    String plan = "dash-errors";
    String bad = metrics.urlTemplate(plan + "-bad");
    String total = metrics.urlTemplate(plan + "-total");
    Map<String, Object> doc =
        aPlan(plan)
            .withWeights(20, 100)
            .withAnalysis("interval", "1s")
            .withAnalysis("warmup", "0s")
            .withAnalysis("judge", Map.of("type", "sequential", "alpha", 0.05, "maxIncrease", 1.5))
            .withMetric(
                Map.of(
                    "name",
                    "errors",
                    "provider",
                    Map.of("type", "web", "jsonPath", "$.value", "timeout", "2s"),
                    "counts",
                    Map.of("bad", bad, "total", total)))
            .build();
    Api.Response created = api.post("/api/v1/plans", doc);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    metrics.set(plan + "-bad", "1", 5.0).set(plan + "-total", "1", 1000.0);
    metrics.set(plan + "-bad", "2", 15.0).set(plan + "-total", "2", 1000.0);

    browser.signIn(TestTokens.ADMIN);
    String id = start(plan, "2");
    browser.go("/rollouts/" + id);
    WebElement reason = browser.waitText(By.id("summary"), "rolled back");
    assertThat(browser.find(By.id("reason")).getText()).contains("errors");
    assertThat(reason.getText()).contains("Rollback cause");
    // the analysis that decided it, with the metric's verdict and why
    browser.click(By.cssSelector("#analysis-list details summary"));
    browser.waitText(By.cssSelector("#analysis-list details[open] tr[data-metric=errors]"), "HIGH");
    // canary against baseline per window, the ratio's band and the evidence against the bound
    assertThat(browser.all(By.cssSelector("figure[data-metric=errors] canvas"))).hasSize(3);
    browser.screenshot("rollback-explained");
    browser.screenshot("rollback-charts", By.id("analyses"));
    assertThat(browser.accessibilityViolations()).isEmpty();
  }

  @Test
  void aParallelRunShowsItsMismatchRatePerFieldPathAndAnExample() throws Exception {
    String plan = "dash-parallel";
    Map<String, Object> step =
        Map.of(
            "parallelRun",
            Map.of(
                "warmup",
                "0s",
                "duration",
                "1s",
                "sample",
                0.5,
                "maxMismatchRate",
                0.01,
                "minComparisons",
                500,
                "maxDuration",
                "1m"));
    Api.Response created =
        api.post("/api/v1/plans", aPlan(plan).withStep(step).withWeights(50, 100).build());
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String id = start(plan, "2");
    Api.Response issued =
        api.post(
            "/api/v1/tokens",
            Map.of("name", "dash-proxy", "role", "pipeline", "plans", List.of(plan)));
    dev.aviary.parallelrun.tally.Tally tally =
        new dev.aviary.parallelrun.tally.Tally("dash-proxy", java.time.Clock.systemUTC());
    java.util.concurrent.atomic.AtomicReference<
            dev.aviary.parallelrun.report.ControllerReporter.Answer>
        last = new java.util.concurrent.atomic.AtomicReference<>();
    dev.aviary.parallelrun.report.ControllerReporter reporter =
        new dev.aviary.parallelrun.report.ControllerReporter(
            URI.create("http://127.0.0.1:" + port),
            plan,
            issued.json().path("token").asString(),
            tally,
            Duration.ofHours(1),
            last::set);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> reporter.report() && last.get() != null && last.get().sample() > 0);
    for (int i = 0; i < 1000; i++) {
      java.util.SortedSet<String> candidate = new java.util.TreeSet<>(List.of("$.servedAt"));
      if (i < 30) {
        candidate.add("$.price.amount");
      }
      tally.compared(
          "quote",
          candidate,
          new java.util.TreeSet<>(List.of("$.servedAt")),
          () ->
              new dev.aviary.parallelrun.report.ComparisonReport.Sample(
                  "quote",
                  List.copyOf(candidate),
                  "GET /api/quote?item=7",
                  "",
                  new dev.aviary.parallelrun.report.ComparisonReport.Answer(
                      200, Map.of(), "{\"price\":{\"amount\":1.00}}"),
                  new dev.aviary.parallelrun.report.ComparisonReport.Answer(
                      200, Map.of(), "{\"price\":{\"amount\":1.01}}"),
                  null,
                  java.time.Instant.now()));
    }
    assertThat(reporter.report()).isTrue();

    browser.signIn(TestTokens.ADMIN);
    browser.go("/rollouts/" + id);
    browser.waitText(By.id("comparisons"), "1,000 comparisons, 30 mismatches");
    String table =
        browser.find(By.cssSelector("#comparisons table[data-endpoint=quote]")).getText();
    assertThat(table).contains("$.price.amount", "3.00 %", "mismatch", "$.servedAt", "noise");
    assertThat(browser.find(By.cssSelector("#comparisons details summary")).getText())
        .contains("GET /api/quote?item=7");
    assertThat(browser.accessibilityViolations()).isEmpty();
  }

  @Test
  void aViewerSeesNoControlsAndAForgedActionIsRefusedWithNothingChanged() {
    gatedPlan("dash-viewer");
    String id = start("dash-viewer", "2");
    awaitPhase(id, "PAUSED");
    browser.signIn(token("dash-viewer-person", "viewer"));
    browser.go("/rollouts/" + id);
    browser.waitText(By.id("summary"), "paused");
    assertThat(browser.all(By.cssSelector("#controls button"))).isEmpty();

    // the viewer forges the request the operator's button would send, CSRF token and all
    Object status =
        browser.asyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch('/api/v1/session').then(r => r.json()).then(s =>"
                + " fetch('/api/v1/rollouts/"
                + id
                + "/resume', {method: 'POST',"
                + " headers: {'X-CSRF-Token': s.csrf}})).then(r => done(r.status));");
    assertThat(status).isEqualTo(403L);
    assertThat(rollout(id).path("phase").asString()).isEqualTo("PAUSED");
    assertThat(rollout(id).path("canaryWeight").asInt()).isEqualTo(10);
  }

  @Test
  void aChangeWithoutTheCsrfTokenIsRefusedEvenForAnAdmin() {
    gatedPlan("dash-csrf");
    String id = start("dash-csrf", "2");
    awaitPhase(id, "PAUSED");
    browser.signIn(TestTokens.ADMIN);
    Object answer =
        browser.asyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch('/api/v1/rollouts/"
                + id
                + "/abort', {method: 'POST'})"
                + ".then(r => r.json().then(b => done(r.status + ' ' + b.type)));");
    assertThat(answer).isEqualTo("403 https://aviary.dev/problems/csrf");
    assertThat(rollout(id).path("phase").asString()).isEqualTo("PAUSED");
  }

  @Test
  void anOperatorPausesAndResumesAfterConfirmingAndSeesTheResult() throws Exception {
    Api.Response r =
        api.post(
            "/api/v1/plans",
            aPlan("dash-operator")
                .withWeights(10, 100)
                // progressing at 10 % for an hour: the first analysis is an hour away
                .withWebMetric("dash-operator", metrics.urlTemplate("dash-operator"), 0.01)
                .withAnalysis("interval", "1h")
                .build());
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    String id = start("dash-operator", "2");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> rollout(id).path("canaryWeight").asInt() == 10);
    browser.signIn(token("dash-operator-person", "operator"));
    browser.go("/rollouts/" + id);
    browser.click(By.id("action-pause"));
    WebElement dialog = browser.find(By.id("confirm"));
    assertThat(dialog.isDisplayed()).isTrue();
    assertThat(browser.find(By.id("confirm-text")).getText())
        .contains(id.substring(0, 8), "dash-operator", "holds its current canary weight");
    browser.screenshot("confirm-pause");
    browser.click(By.id("confirm-ok"));
    browser.waitText(By.id("summary"), "paused");
    assertThat(rollout(id).path("phase").asString()).isEqualTo("PAUSED");

    browser.click(By.id("action-resume"));
    // the dialog takes the keyboard: Escape closes it and nothing happens
    browser.find(By.id("confirm-cancel")).sendKeys(org.openqa.selenium.Keys.ESCAPE);
    browser
        .waiting(Duration.ofSeconds(10))
        .until(d -> !d.findElement(By.id("confirm")).isDisplayed());
    assertThat(rollout(id).path("phase").asString()).isEqualTo("PAUSED");
    browser.click(By.id("action-resume"));
    browser.click(By.id("confirm-cancel")); // changing one's mind changes nothing
    assertThat(rollout(id).path("phase").asString()).isEqualTo("PAUSED");
    browser.click(By.id("action-resume"));
    browser.click(By.id("confirm-ok"));
    browser.waitText(By.id("summary"), "progressing");
    JsonNode events = api.get("/api/v1/rollouts/" + id + "/events").json().path("items");
    List<String> actors = new java.util.ArrayList<>();
    events.forEach(
        e -> {
          if (e.path("type").asString().equals("ACTION")) {
            actors.add(e.path("actor").asString());
          }
        });
    assertThat(actors).contains("token:dash-operator-person");
  }

  @Test
  void anOperatorApprovesAWaitingRolloutWithAReasonAndTheApproverIsRecorded() throws Exception {
    Api.Response r =
        api.post(
            "/api/v1/plans",
            aPlan("dash-approval")
                .withWeights(10)
                .withStep(Map.of("approval", Map.of("timeout", "2h")))
                .withWeights(100)
                .build());
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    String id = start("dash-approval", "3");
    await().atMost(Duration.ofSeconds(30)).until(() -> rollout(id).path("approval").isObject());
    browser.signIn(token("dash-approver", "operator"));
    browser.go("/rollouts/" + id);
    browser.waitText(By.id("summary"), "by any operator");
    browser.click(By.id("action-approve"));
    browser.find(By.id("confirm-reason")).sendKeys("smoke tests green");
    browser.screenshot("confirm-approve");
    browser.click(By.id("confirm-ok"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> rollout(id).path("phase").asString().equals("SUCCEEDED"));
    assertThat(api.get("/api/v1/rollouts/" + id + "/events").text())
        .contains("step 2 approved by token:dash-approver: smoke tests green");
  }

  @Test
  void anApprovalLinkFromANotificationLeadsThroughSignInToTheAnswer() throws Exception {
    try (dev.aviary.testing.TextHttpServer receiver = new dev.aviary.testing.TextHttpServer()) {
      receiver.answer("/hook", dev.aviary.testing.TextHttpServer.Reply.ok("text/plain", "ok"));
      Api.Response r =
          api.post(
              "/api/v1/plans",
              aPlan("dash-link")
                  .withWeights(10)
                  .withStep(Map.of("approval", Map.of("timeout", "2h")))
                  .withWeights(100)
                  .with(
                      "notifications",
                      List.of(
                          Map.of("url", receiver.url("/hook"), "on", List.of("approvalNeeded"))))
                  .build());
      assertThat(r.status()).as(r.text()).isEqualTo(201);
      String id = start("dash-link", "4");
      await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.requests().isEmpty());
      String link =
          new tools.jackson.databind.json.JsonMapper()
              .readTree(receiver.requests().get(0).body())
              .path("approvalLink")
              .asString();
      String path = java.net.URI.create(link).getPath();
      assertThat(path).matches("/approvals/[A-Za-z0-9_-]{43}");

      // followed from a chat message by someone not signed in: sign-in first, then the page
      browser.go(path);
      browser.find(By.id("token")).sendKeys(token("dash-link-approver", "operator"));
      browser.find(By.id("sign-in")).click();
      browser.waitText(By.id("approval-link"), "step 2 of 3");
      browser.screenshot("approval-link");
      assertThat(browser.accessibilityViolations()).isEmpty();
      browser.click(By.id("link-approve"));
      browser.find(By.id("confirm-reason")).sendKeys("release notes checked");
      browser.click(By.id("confirm-ok"));
      browser.waitText(By.id("link-state"), "Approved.");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> rollout(id).path("phase").asString().equals("SUCCEEDED"));
      assertThat(api.get("/api/v1/rollouts/" + id + "/events").text())
          .contains("step 2 approved by token:dash-link-approver: release notes checked");

      // the same link again: it answered once
      browser.go(path);
      browser.waitText(By.id("link-state"), "This link was used by token dash-link-approver");
      assertThat(browser.all(By.id("link-approve"))).isEmpty();
    }
  }

  @Test
  void aPlansRevisionsAreComparedLineByLine() throws Exception {
    Map<String, Object> first = aPlan("dash-revisions").withWeights(10, 100).build();
    assertThat(api.post("/api/v1/plans", first).status()).isEqualTo(201);
    Map<String, Object> second = aPlan("dash-revisions").withWeights(5, 50, 100).build();
    Api.Response put = api.put("/api/v1/plans/dash-revisions", second, Map.of());
    assertThat(put.status()).as(put.text()).isEqualTo(200);

    browser.signIn(TestTokens.ADMIN);
    browser.go("/plans");
    browser.find(By.linkText("dash-revisions"));
    assertThat(browser.accessibilityViolations()).isEmpty();
    browser.click(By.linkText("dash-revisions"));
    browser.find(By.id("plan-diff"));
    new Select(browser.find(By.id("diff-from"))).selectByValue("1");
    new Select(browser.find(By.id("diff-to"))).selectByValue("2");
    browser.find(By.cssSelector("form.filters button")).click();
    browser.waitText(By.id("diff-summary"), "between revision 1 and revision 2");
    List<String> added =
        browser.all(By.cssSelector("#plan-diff ins")).stream().map(WebElement::getText).toList();
    List<String> removed =
        browser.all(By.cssSelector("#plan-diff del")).stream().map(WebElement::getText).toList();
    assertThat(added).anyMatch(l -> l.contains("\"setWeight\": 5"));
    assertThat(removed).anyMatch(l -> l.contains("\"setWeight\": 10"));
    browser.screenshot("revision-diff", By.id("diff"));
    assertThat(browser.accessibilityViolations()).isEmpty();

    browser.go("/tokens");
    browser.find(By.id("token-table"));
    assertThat(browser.accessibilityViolations()).isEmpty();
    browser.find(By.id("t-name")).sendKeys("dash-issued");
    new Select(browser.find(By.id("t-role"))).selectByValue("viewer");
    browser.click(By.cssSelector("#issue-token button"));
    String issued = browser.find(By.id("issued-token")).getText();
    assertThat(issued).startsWith("avy_");
    assertThat(api.withToken(issued).get("/api/v1/whoami").json().path("actor").asString())
        .isEqualTo("token:dash-issued");
    browser.waitText(By.id("token-table"), "dash-issued");
    // a name in use is refused with the API's reason, shown on the page
    browser.find(By.id("t-name")).sendKeys("dash-issued");
    browser.click(By.cssSelector("#issue-token button"));
    browser.waitText(By.cssSelector("#token-message [role=alert]"), "dash-issued");
    browser.go("/audit");
    browser.find(By.id("audit-table"));
    assertThat(browser.accessibilityViolations()).isEmpty();
  }

  @Test
  void onAPhoneTheListFitsTheScreenAndTheNavigationStaysReachable() {
    gatedPlan("dash-phone");
    start("dash-phone", "2");
    browser.size(390, 844);
    browser.signIn(TestTokens.ADMIN);
    browser.go("/rollouts");
    browser.find(By.id("rollout-table"));
    long page = (Long) browser.script("return document.documentElement.scrollWidth");
    long screen = (Long) browser.script("return document.documentElement.clientWidth");
    assertThat(page).isLessThanOrEqualTo(screen);
    assertThat(browser.find(By.linkText("Plans")).isDisplayed()).isTrue();
    assertThat(browser.accessibilityViolations()).isEmpty();
  }

  @Test
  void pagesAreServedUnderAStrictContentSecurityPolicyAndTheApiStillTakesBearerTokens()
      throws Exception {
    HttpResponse<String> page =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/rollouts"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp).contains("script-src 'self'", "style-src 'self'").doesNotContain("unsafe");
    assertThat(page.body()).doesNotContain("<script>").doesNotContain("style=");
    assertThat(api.get("/api/v1/rollouts").status()).isEqualTo(200);
  }
}
