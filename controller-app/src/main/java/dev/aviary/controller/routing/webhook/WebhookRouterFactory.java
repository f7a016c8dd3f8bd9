package dev.aviary.controller.routing.webhook;

import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import dev.aviary.controller.platform.webhook.WebhookSender;
import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.controller.routing.RouterException;
import dev.aviary.controller.routing.RouterTarget;
import dev.aviary.controller.routing.SettingsRouterFactory;
import dev.aviary.controller.routing.TrafficRouter;
import dev.aviary.kernel.GuardedHttpClient;
import dev.aviary.kernel.OutboundPolicy;
import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SecretRef;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * For routers Aviary does not ship: each weight is POSTed as JSON to a URL (optionally signed with
 * HMAC-SHA256); any 2xx means applied. With a {@code statusUrl} the weight is read back from it (a
 * number at {@code weightPath}); without one, the router cannot verify and says so.
 *
 * <pre>{@code
 * "router": {"type": "webhook", "url": "https://lb-admin.internal/aviary", "signingSecret": {"env": "LB_HOOK_KEY"},
 *            "statusUrl": "https://lb-admin.internal/aviary/checkout", "weightPath": "$.canaryWeight"}
 * }</pre>
 *
 * The body: {@code {"plan", "rollout", "action": "setWeight"|"finish", "weight", "promoted"}}.
 */
@Component
class WebhookRouterFactory extends SettingsRouterFactory<WebhookRouterFactory.Settings> {

  static final String TYPE = "webhook";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final WebhookSender sender;
  private final HttpClient http;

  WebhookRouterFactory(WebhookSender sender, OutboundPolicy outbound) {
    super(TYPE, RouterCapability.WEIGHTED_SPLIT);
    this.sender = sender;
    this.http = GuardedHttpClient.of(outbound, Duration.ofSeconds(5));
  }

  record Settings(
      URI url,
      @Nullable SecretRef signingSecret,
      @Nullable URI statusUrl,
      JsonPath weightPath,
      Duration timeout) {}

  static Parsed<Settings> read(Map<String, ?> raw) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(raw, violations);
    URI url = r.httpUrl("url", true);
    SecretRef secret = r.secret("signingSecret", false);
    URI statusUrl = r.httpUrl("statusUrl", false);
    JsonPath weightPath = null;
    String path = r.string("weightPath").orElse("$.weight");
    try {
      weightPath = JsonPath.compile(path);
    } catch (RuntimeException e) {
      r.violation("weightPath", "is not a valid JSONPath: " + e.getMessage());
    }
    Duration timeout = r.duration("timeout", Duration.ofSeconds(5));
    r.rejectUnknown();
    if (url == null || weightPath == null) {
      return Parsed.of(null, violations);
    }
    return Parsed.of(new Settings(url, secret, statusUrl, weightPath, timeout), violations);
  }

  @Override
  protected Parsed<Settings> parse(Map<String, ?> settings) {
    return read(settings);
  }

  @Override
  protected String destination(Settings s) {
    return "webhook " + s.url().getHost() + ":" + s.url().getPort();
  }

  @Override
  protected TrafficRouter create(RouterTarget target, Settings s) {
    return new TrafficRouter() {
      @Override
      public void setCanaryWeight(int weight) {
        post("setWeight", weight, null);
      }

      @Override
      public boolean readsWeight() {
        return s.statusUrl() != null;
      }

      @Override
      public OptionalInt currentCanaryWeight() {
        if (s.statusUrl() == null) {
          return OptionalInt.empty();
        }
        HttpResponse<String> response;
        try {
          response =
              http.send(
                  HttpRequest.newBuilder(s.statusUrl())
                      .timeout(s.timeout())
                      .header("Accept", "application/json")
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
          throw RouterException.retryable(
              "cannot reach " + s.statusUrl().getHost() + ": " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw RouterException.retryable("interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
          throw new RouterException(
              s.statusUrl().getHost() + " answered HTTP " + response.statusCode(),
              dev.aviary.kernel.HttpStatuses.retryable(response.statusCode()),
              null);
        }
        try {
          Object value = s.weightPath().read(response.body());
          if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return OptionalInt.of(n.intValue());
          }
          throw RouterException.fatal(
              s.weightPath().getPath() + " of " + s.statusUrl() + " is not a whole number");
        } catch (PathNotFoundException e) {
          throw RouterException.fatal(
              s.statusUrl() + " has nothing at " + s.weightPath().getPath());
        }
      }

      @Override
      public void finish(boolean promoted) {
        post("finish", promoted ? 100 : 0, promoted);
      }

      private void post(String action, int weight, @Nullable Boolean promoted) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("plan", target.plan());
        body.put("rollout", target.rollout());
        body.put("action", action);
        body.put("weight", weight);
        if (promoted != null) {
          body.put("promoted", promoted);
        }
        try {
          // one key per change, the same on every retry of it and after a restart
          String key = "aviary-" + target.change().get() + "-" + action + "-" + weight;
          sender.post(s.url(), JSON.writeValueAsString(body), s.signingSecret(), key);
        } catch (RuntimeException e) {
          boolean retryable =
              e instanceof dev.aviary.controller.platform.webhook.WebhookException w
                  ? w.retryLater()
                  : e instanceof dev.aviary.kernel.Retryability ra && ra.retryable();
          throw new RouterException(
              "the webhook router "
                  + s.url().getHost()
                  + " did not apply "
                  + action
                  + " "
                  + weight
                  + "%: "
                  + e.getMessage(),
              retryable,
              e);
        }
      }
    };
  }
}
