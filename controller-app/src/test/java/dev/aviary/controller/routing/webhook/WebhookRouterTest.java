package dev.aviary.controller.routing.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.controller.platform.webhook.WebhookSender;
import dev.aviary.controller.routing.RouterException;
import dev.aviary.controller.routing.RouterTarget;
import dev.aviary.controller.routing.TrafficRouter;
import dev.aviary.controller.routing.TrafficRouterContract;
import dev.aviary.controller.routing.TrafficRouterFactory;
import dev.aviary.kernel.OutboundPolicy;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.testing.TextHttpServer;
import dev.aviary.testing.TextHttpServer.Reply;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP endpoint standing in for a router Aviary does not ship: it applies and reports. */
class WebhookRouterTest extends TrafficRouterContract {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final AtomicInteger WEIGHT = new AtomicInteger();
  static TextHttpServer lb;

  @BeforeAll
  static void start() {
    lb = new TextHttpServer();
    lb.answer(
        "/apply",
        r -> {
          if (!("sha256=" + WebhookSender.hmac("lb-key", r.body()))
              .equals(r.header("X-Aviary-Signature"))) {
            return new Reply(401, "text/plain", "bad signature");
          }
          JsonNode body = JSON.readTree(r.body());
          WEIGHT.set(body.path("weight").asInt());
          return Reply.ok("application/json", "{}");
        });
    lb.answer(
        "/status", r -> Reply.ok("application/json", "{\"canaryWeight\": " + WEIGHT.get() + "}"));
    lb.answer("/broken", new Reply(503, "text/plain", "down"));
    lb.answer("/refuses", new Reply(400, "text/plain", "no"));
  }

  @AfterAll
  static void stop() {
    lb.close();
  }

  @Override
  protected TrafficRouterFactory factory() {
    return new WebhookRouterFactory(
        new WebhookSender(SecretResolver.fromMap(Map.of("LB_KEY", "lb-key")), OutboundPolicy.ANY),
        OutboundPolicy.ANY);
  }

  @Override
  protected Map<String, Object> settings() {
    return Map.of(
        "url", lb.url("/apply"),
        "signingSecret", Map.of("env", "LB_KEY"),
        "statusUrl", lb.url("/status"),
        "weightPath", "$.canaryWeight");
  }

  @Test
  void postsPlanRolloutAndWeightSigned() {
    router().setCanaryWeight(35);
    JsonNode last =
        JSON.readTree(
            lb.requests().stream()
                .filter(r -> r.path().equals("/apply"))
                .reduce((a, b) -> b)
                .orElseThrow()
                .body());
    assertThat(last.path("plan").asString()).isEqualTo("contract");
    assertThat(last.path("rollout").asString()).isEqualTo("00000000-0000-0000-0000-000000000001");
    assertThat(last.path("action").asString()).isEqualTo("setWeight");
    assertThat(last.path("weight").asInt()).isEqualTo(35);
  }

  /** One key per change: the same on a retry of it (here, a second call), new for the next. */
  @Test
  void everyCallNamesItsChangeInAnIdempotencyKey() {
    AtomicInteger change = new AtomicInteger(7);
    TrafficRouter router =
        factory()
            .create(
                new RouterTarget("p", "r-1", () -> "r-1-" + change.get()),
                Map.of("url", lb.url("/apply"), "signingSecret", Map.of("env", "LB_KEY")));
    router.setCanaryWeight(20);
    router.setCanaryWeight(20); // a retry of the same change
    change.incrementAndGet();
    router.setCanaryWeight(20); // the same weight, as a new change (drift corrected)
    router.finish(false);
    List<String> keys =
        lb.requests().stream()
            .filter(r -> r.path().equals("/apply") && r.body().contains("\"r-1\""))
            .map(r -> r.header("Idempotency-Key"))
            .toList();
    assertThat(keys)
        .containsExactly(
            "aviary-r-1-7-setWeight-20",
            "aviary-r-1-7-setWeight-20",
            "aviary-r-1-8-setWeight-20",
            "aviary-r-1-8-finish-0");
  }

  @Test
  void withoutAStatusUrlTheRouterCannotVerify() {
    TrafficRouter blind =
        factory()
            .create(
                new RouterTarget("p", "r"),
                Map.of("url", lb.url("/apply"), "signingSecret", Map.of("env", "LB_KEY")));
    blind.setCanaryWeight(10);
    assertThat(blind.currentCanaryWeight()).isEmpty();
  }

  @Test
  void serverErrorsAreRetryableAndRefusalsAreNot() {
    TrafficRouter broken =
        factory().create(new RouterTarget("p", "r"), Map.of("url", lb.url("/broken")));
    assertThatThrownBy(() -> broken.setCanaryWeight(10))
        .isInstanceOf(RouterException.class)
        .satisfies(e -> assertThat(((RouterException) e).retryable()).isTrue());
    TrafficRouter refuses =
        factory().create(new RouterTarget("p", "r"), Map.of("url", lb.url("/refuses")));
    assertThatThrownBy(() -> refuses.setCanaryWeight(10))
        .isInstanceOf(RouterException.class)
        .satisfies(e -> assertThat(((RouterException) e).retryable()).isFalse());
  }
}
