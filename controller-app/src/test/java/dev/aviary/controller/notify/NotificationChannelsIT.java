package dev.aviary.controller.notify;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import dev.aviary.controller.support.MetricEndpoint;
import dev.aviary.testing.ChatContractServer;
import dev.aviary.testing.FreePorts;
import dev.aviary.testing.GitHubStatusContractServer;
import dev.aviary.testing.PagerDutyContractServer;
import dev.aviary.testing.TextHttpServer;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every channel on real rollouts: a release that fails its analysis and one that is promoted, told
 * to Slack, Teams and Google Chat (contract servers of their incoming webhooks), PagerDuty (a
 * contract server of the Events API v2), GitHub (a contract server of the commit status API), a
 * real SMTP server (GreenMail, over TLS with a login) and a CloudEvents webhook. The stand-ins
 * check the documented request shapes and credentials and answer as the services do, rate limits
 * included; they are stand-ins because the services exist only as services.
 */
@AviaryIntegrationTest
class NotificationChannelsIT {

  static final String SHA_BAD = "1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c";
  static final String SHA_GOOD = "9a8b7c6d5e4f30219a8b7c6d5e4f30219a8b7c6d";
  static final String PD_KEY = "R0AVIARYROUTINGKEY00000000000001";
  static final String GH_TOKEN = "ghp_aviaryTestToken0123456789";
  static final String MAIL_PASSWORD = "mail-secret-pw";

  static ChatContractServer slack;
  static ChatContractServer teams;
  static ChatContractServer googleChat;
  static PagerDutyContractServer pagerDuty;
  static GitHubStatusContractServer gitHub;
  static TextHttpServer receiver;
  static GreenMail mail;
  static int smtps;
  static int plainSmtp;
  static MetricEndpoint metrics;
  static Path secrets;

  @LocalServerPort int port;
  final JsonMapper json = JsonMapper.builder().build();

  @BeforeAll
  static void services() throws Exception {
    secrets =
        Files.createDirectories(
            Path.of(System.getProperty("java.io.tmpdir"), "aviary-test-secrets"));
    slack = new ChatContractServer(ChatContractServer.Service.SLACK, "xoxSlackSecret1");
    teams = new ChatContractServer(ChatContractServer.Service.TEAMS, "teamsSig2");
    googleChat = new ChatContractServer(ChatContractServer.Service.GOOGLE_CHAT, "gchatToken3");
    pagerDuty = new PagerDutyContractServer(PD_KEY);
    gitHub = new GitHubStatusContractServer("acme/shop", GH_TOKEN);
    receiver = new TextHttpServer();
    receiver.answer("/events", TextHttpServer.Reply.ok("text/plain", "ok"));
    smtps = FreePorts.next();
    plainSmtp = FreePorts.next();
    mail =
        new GreenMail(
                new ServerSetup[] {
                  new ServerSetup(smtps, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS),
                  new ServerSetup(plainSmtp, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)
                })
            .withConfiguration(
                GreenMailConfiguration.aConfig()
                    .withUser("releases@example.test", "aviary", MAIL_PASSWORD));
    mail.start();
    metrics = new MetricEndpoint();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c :
        List.<AutoCloseable>of(slack, teams, googleChat, pagerDuty, gitHub, receiver, metrics)) {
      try {
        c.close();
      } catch (Exception e) {
        // closing the next one matters more
      }
    }
    mail.stop();
  }

  private static Map<String, Object> secretFile(String name, String value) throws Exception {
    Path f = Files.createTempFile(secrets, name, ".txt");
    Files.writeString(f, value + "\n");
    return Map.of("file", f.toString());
  }

  private List<Map<String, Object>> channels() throws Exception {
    List<Map<String, Object>> channels = new ArrayList<>();
    channels.add(Map.of("type", "slack", "webhook", secretFile("slack", slack.webhookUrl())));
    channels.add(
        Map.of(
            "type",
            "teams",
            "webhook",
            secretFile("teams", teams.webhookUrl()),
            "on",
            List.of("rolledBack", "promoted")));
    channels.add(
        Map.of(
            "type",
            "googleChat",
            "url",
            googleChat.webhookUrl(),
            "on",
            List.of("rolledBack", "promoted")));
    channels.add(
        Map.of(
            "type",
            "pagerduty",
            "routingKey",
            secretFile("pd", PD_KEY),
            "url",
            pagerDuty.url(),
            "severity",
            "critical"));
    channels.add(
        Map.of(
            "type",
            "github",
            "repository",
            "acme/shop",
            "token",
            secretFile("gh", GH_TOKEN),
            "apiUrl",
            gitHub.url()));
    Map<String, Object> smtp = new LinkedHashMap<>();
    smtp.put("host", "127.0.0.1");
    smtp.put("port", smtps);
    smtp.put("security", "tls");
    smtp.put("username", "aviary");
    smtp.put("password", secretFile("mail", MAIL_PASSWORD));
    channels.add(
        Map.of(
            "type",
            "email",
            "smtp",
            smtp,
            "from",
            "aviary@example.test",
            "to",
            List.of("releases@example.test"),
            "on",
            List.of("rolledBack", "promoted")));
    channels.add(
        Map.of("url", receiver.url("/events"), "format", "cloudevents", "on", List.of("promoted")));
    return channels;
  }

  private String start(Api api, String plan, String version, String commit) {
    Api.Response started =
        api.post(
            "/api/v1/rollouts",
            Map.of(
                "plan", plan,
                "canary", Map.of("version", version),
                "metadata", Map.of("commit", commit)));
    assertThat(started.status()).as(started.text()).isEqualTo(201);
    return started.json().path("id").asString();
  }

  private String awaitEnd(Api api, String id) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                List.of("SUCCEEDED", "ROLLED_BACK", "ABORTED", "FAILED")
                    .contains(api.get("/api/v1/rollouts/" + id).json().path("phase").asString()));
    return api.get("/api/v1/rollouts/" + id).json().path("phase").asString();
  }

  private List<JsonNode> deliveries(Api api, String query) {
    List<JsonNode> out = new ArrayList<>();
    api.get("/api/v1/notifications?" + query).json().path("items").values().forEach(out::add);
    return out;
  }

  @Test
  void aFailedReleaseAndThenAGoodOneAreToldOnEveryChannelInItsOwnForm() throws Exception {
    Api api = new Api(port);
    String plan = "channels-it";
    var doc =
        aPlan(plan)
            .withWeights(50, 100)
            .withWebMetric("error-rate", metrics.urlTemplate(plan), 0.01)
            .withAnalysis("interval", "1s")
            .with("notifications", channels());
    Api.Response created = api.post("/api/v1/plans", doc.build());
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    // the plan as stored names the secrets, never their values
    assertThat(created.text())
        .doesNotContain(PD_KEY, GH_TOKEN, MAIL_PASSWORD, "xoxSlackSecret1", "teamsSig2");

    // 1. a canary with twenty times the errors the plan allows: rolled back
    metrics.set(plan, "2.0", 0.2);
    String bad = start(api, plan, "2.0", SHA_BAD);
    assertThat(awaitEnd(api, bad)).isEqualTo("ROLLED_BACK");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                deliveries(api, "rollout=" + bad).stream()
                    .allMatch(d -> d.path("state").asString().equals("delivered")));
    List<String> slackHeads = headers(slack);
    assertThat(slackHeads)
        .anyMatch(h -> h.contains("channels-it 2.0: rollout started"))
        .anyMatch(h -> h.contains("channels-it 2.0: analysis failed at 50 %"))
        .anyMatch(h -> h.contains("channels-it 2.0: rolled back"));
    assertThat(pagerDuty.open()).containsOnlyKeys("aviary/" + plan);
    JsonNode alert = pagerDuty.open().get("aviary/" + plan);
    assertThat(alert.path("payload").path("severity").asString()).isEqualTo("critical");
    assertThat(alert.path("payload").path("summary").asString()).startsWith("channels-it 2.0:");
    assertThat(alert.path("links").get(0).path("href").asString())
        .isEqualTo("https://aviary.example.test/rollouts/" + bad);
    assertThat(lastStatus(SHA_BAD).state()).isEqualTo("failure");
    assertThat(lastStatus(SHA_BAD).context()).isEqualTo("aviary/" + plan);
    assertThat(gitHub.statuses().stream().filter(s -> s.sha().equals(SHA_BAD)).map(s -> s.state()))
        .startsWith("pending");
    assertThat(teams.accepted()).hasSize(1);
    assertThat(
            teams
                .accepted()
                .get(0)
                .path("attachments")
                .get(0)
                .path("content")
                .path("body")
                .get(0)
                .path("text")
                .asString())
        .isEqualTo("channels-it 2.0: rolled back: all traffic on the stable version");
    assertThat(googleChat.accepted()).hasSize(1);
    assertThat(mail.waitForIncomingEmail(10_000, 1)).isTrue();
    MimeMessage rolledBack = mail.getReceivedMessages()[0];
    assertThat(rolledBack.getSubject())
        .isEqualTo("channels-it 2.0: rolled back: all traffic on the stable version");
    assertThat(rolledBack.getFrom()[0].toString()).contains("aviary@example.test");
    assertThat(receiver.requests()).isEmpty(); // the CloudEvents webhook hears promotions only

    // 2. a healthy canary, while Slack refuses the next message as over its rate limit
    slack.throttleNext(1);
    int slackBefore = slack.accepted().size();
    metrics.set(plan, "2.1", 0.001);
    String good = start(api, plan, "2.1", SHA_GOOD);
    assertThat(awaitEnd(api, good)).isEqualTo("SUCCEEDED");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                deliveries(api, "rollout=" + good).stream()
                    .allMatch(d -> d.path("state").asString().equals("delivered")));
    assertThat(slack.refused()).contains("rate limited");
    assertThat(headers(slack).subList(slackBefore, slack.accepted().size()))
        .containsExactlyInAnyOrder(
            "ℹ️ channels-it 2.1: rollout started",
            "✅ channels-it 2.1: promoted: all traffic on the new version");
    JsonNode retried =
        deliveries(api, "rollout=" + good + "&plan=" + plan).stream()
            .filter(d -> d.path("channel").asString().equals("slack"))
            .filter(d -> d.path("event").asString().equals("started"))
            .findFirst()
            .orElseThrow();
    assertThat(retried.path("attempts").asInt()).isEqualTo(2);
    assertThat(pagerDuty.open()).isEmpty();
    assertThat(pagerDuty.resolved()).containsExactly("aviary/" + plan);
    assertThat(lastStatus(SHA_GOOD).state()).isEqualTo("success");
    assertThat(lastStatus(SHA_GOOD).targetUrl())
        .isEqualTo("https://aviary.example.test/rollouts/" + good);
    assertThat(mail.waitForIncomingEmail(10_000, 2)).isTrue();
    assertThat(mail.getReceivedMessages()[1].getSubject())
        .isEqualTo("channels-it 2.1: promoted: all traffic on the new version");
    assertThat(receiver.requests()).hasSize(1);
    TextHttpServer.Recorded event = receiver.requests().get(0);
    assertThat(event.header("Content-Type")).startsWith("application/cloudevents+json");
    JsonNode cloudEvent = json.readTree(event.body());
    assertThat(cloudEvent.path("specversion").asString()).isEqualTo("1.0");
    assertThat(cloudEvent.path("type").asString()).isEqualTo("dev.aviary.rollout.promoted.v1");
    assertThat(cloudEvent.path("source").asString()).isEqualTo("/aviary/plans/" + plan);
    assertThat(cloudEvent.path("data").path("rollout").asString()).isEqualTo(good);
    for (ChatContractServer chat : List.of(slack, teams, googleChat)) {
      assertThat(chat.refused()).allMatch(r -> r.equals("rate limited"));
    }
  }

  private static List<String> headers(ChatContractServer chat) {
    return chat.accepted().stream()
        .map(m -> m.path("blocks").get(0).path("text").path("text").asString())
        .toList();
  }

  private static GitHubStatusContractServer.Status lastStatus(String sha) {
    List<GitHubStatusContractServer.Status> all =
        gitHub.statuses().stream().filter(s -> s.sha().equals(sha)).toList();
    assertThat(all).as("statuses of %s", sha).isNotEmpty();
    return all.get(all.size() - 1);
  }

  @Test
  void aDeliveryNoRetryCanMendIsGivenUpListedAndSentAgainOnRequest() throws Exception {
    Api api = new Api(port);
    String plan = "dead-letter-it";
    String wrongToken = "ghp_rotatedAwayToken42";
    Map<String, Object> github = new LinkedHashMap<>();
    github.put("type", "github");
    github.put("repository", "acme/shop");
    github.put("token", secretFile("gh-old", wrongToken));
    github.put("apiUrl", gitHub.url());
    github.put("on", List.of("promoted"));
    assertThat(
            api.post(
                    "/api/v1/plans",
                    aPlan(plan).withWeights(100).with("notifications", List.of(github)).build())
                .status())
        .isEqualTo(201);
    String id = start(api, plan, "3.0", SHA_GOOD);
    assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !deliveries(api, "state=failed&plan=" + plan).isEmpty());
    JsonNode failed = deliveries(api, "state=failed&plan=" + plan).get(0);
    assertThat(failed.path("attempts").asInt()).as("a 401 is not retried").isEqualTo(1);
    assertThat(failed.path("lastError").asString()).contains("401", "Bad credentials");
    assertThat(failed.path("destination").asString()).contains("acme/shop");
    assertThat(failed.toString()).doesNotContain(wrongToken);
    assertThat(failed.path("event").asString()).isEqualTo("promoted");

    // the admin finds the old token still in use and lets the service take it: sent again
    gitHub.acceptToken(wrongToken);
    Api.Response retried =
        api.post("/api/v1/notifications/" + failed.path("id").asLong() + "/retry", null);
    assertThat(retried.status()).as(retried.text()).isEqualTo(200);
    assertThat(retried.json().path("state").asString()).isEqualTo("pending");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.get("/api/v1/notifications/" + failed.path("id").asLong())
                    .json()
                    .path("state")
                    .asString()
                    .equals("delivered"));
    gitHub.acceptToken(GH_TOKEN);
    assertThat(
            api.post("/api/v1/notifications/" + failed.path("id").asLong() + "/retry", null)
                .status())
        .as("a delivered notification is not sent again")
        .isEqualTo(409);
    assertThat(api.get("/api/v1/audit?action=notification.retried").text())
        .contains("notification:" + failed.path("id").asLong());
  }

  @Test
  void emailNeverGoesInTheClearWhenTheChannelAsksForStarttls() throws Exception {
    Api api = new Api(port);
    String plan = "starttls-it";
    Map<String, Object> smtp = new LinkedHashMap<>();
    smtp.put("host", "127.0.0.1");
    smtp.put("port", plainSmtp); // a server that does not offer STARTTLS
    smtp.put("security", "starttls");
    Map<String, Object> email = new LinkedHashMap<>();
    email.put("type", "email");
    email.put("smtp", smtp);
    email.put("from", "aviary@example.test");
    email.put("to", List.of("releases@example.test"));
    email.put("on", List.of("promoted"));
    assertThat(
            api.post(
                    "/api/v1/plans",
                    aPlan(plan).withWeights(100).with("notifications", List.of(email)).build())
                .status())
        .isEqualTo(201);
    int before = mail.getReceivedMessages().length;
    String id = start(api, plan, "4.0", SHA_GOOD);
    assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                deliveries(api, "rollout=" + id).stream()
                    .anyMatch(d -> d.path("lastError").asString().contains("STARTTLS")));
    JsonNode refused = deliveries(api, "rollout=" + id).get(0);
    assertThat(refused.path("state").asString())
        .as("a server without STARTTLS will not offer it by itself: given up at once")
        .isEqualTo("failed");
    assertThat(refused.path("attempts").asInt()).isEqualTo(1);
    assertThat(mail.getReceivedMessages()).hasSize(before);
  }
}
