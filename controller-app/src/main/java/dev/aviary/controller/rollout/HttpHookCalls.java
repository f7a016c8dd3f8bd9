package dev.aviary.controller.rollout;

import dev.aviary.controller.plan.Hook;
import dev.aviary.controller.platform.RemoteCalls;
import dev.aviary.controller.platform.webhook.WebhookException;
import dev.aviary.controller.platform.webhook.WebhookSender;
import dev.aviary.kernel.Durations;
import dev.aviary.kernel.Retryability;
import dev.aviary.kernel.SecretResolver;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks hooks over HTTP: a signed JSON POST (5 s timeout, the outbound policy, a breaker per
 * receiving host and port). A 2xx answer of {@code {"status": "go" | "wait" | "no-go", "reason",
 * "retryAfter"}} is read as it says; a 2xx answer without that JSON is go (a plain call); 5xx, 429
 * and connection failures may pass later; other answers will not.
 */
@Component
class HttpHookCalls implements HookCalls {

  private final WebhookSender http;
  private final SecretResolver secrets;
  private final RemoteCalls remote;
  private final JsonMapper json = JsonMapper.builder().build();

  HttpHookCalls(WebhookSender http, SecretResolver secrets, RemoteCalls remote) {
    this.http = http;
    this.secrets = secrets;
    this.remote = remote;
  }

  @Override
  public HookAnswer ask(Hook hook, String body, String idempotencyKey) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Idempotency-Key", idempotencyKey);
    if (hook.signingSecret() != null) {
      headers.put(
          "X-Aviary-Signature",
          "sha256=" + WebhookSender.hmac(secrets.resolve(hook.signingSecret()), body));
    }
    int port = hook.url().getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(hook.url().getScheme()) ? 443 : 80;
    }
    String destination = hook.url().getHost() + ":" + port;
    String answer;
    try {
      answer =
          remote.call(
              "hook-" + destination,
              destination,
              () -> http.send(hook.url(), "application/json", body, headers));
    } catch (WebhookException e) {
      return e.retryLater()
          ? HookAnswer.failed(String.valueOf(e.getMessage()))
          : HookAnswer.refused(String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      boolean later = !(e instanceof Retryability r) || r.retryable();
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return later ? HookAnswer.failed(why) : HookAnswer.refused(why);
    }
    return read(answer);
  }

  /** A 2xx answer's body, as the hook protocol reads it. */
  HookAnswer read(@Nullable String body) {
    if (body == null || body.isBlank()) {
      return HookAnswer.go("");
    }
    JsonNode tree;
    try {
      tree = json.readTree(body);
    } catch (JacksonException e) {
      return HookAnswer.go(""); // a plain call answered with text
    }
    if (!tree.isObject() || !tree.path("status").isString()) {
      return HookAnswer.go("");
    }
    String reason = tree.path("reason").isString() ? tree.path("reason").asString().strip() : "";
    if (reason.length() > 500) {
      reason = reason.substring(0, 500) + "…";
    }
    String status = tree.path("status").asString().strip().toLowerCase(Locale.ROOT);
    return switch (status.replace("_", "-")) {
      case "go" -> HookAnswer.go(reason);
      case "wait" -> HookAnswer.waiting(reason, retryAfter(tree.get("retryAfter")));
      case "no-go", "nogo" -> HookAnswer.noGo(reason.isEmpty() ? "no reason given" : reason);
      default ->
          HookAnswer.refused(
              "answered status \"" + status + "\"; a hook answers go, wait or no-go");
    };
  }

  private static @Nullable Duration retryAfter(@Nullable JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      return Duration.ofMillis((long) (v.asDouble() * 1000));
    }
    if (v.isString()) {
      Optional<Duration> d = Durations.parse(v.asString());
      return d.orElse(null);
    }
    return null;
  }
}
