package dev.aviary.controller.platform.webhook;

import dev.aviary.kernel.GuardedHttpClient;
import dev.aviary.kernel.OutboundPolicy;
import dev.aviary.kernel.SecretRef;
import dev.aviary.kernel.SecretResolver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * POSTs one JSON body to a webhook with a timeout; when a signing secret is set, signs the body
 * with HMAC-SHA256 ({@code X-Aviary-Signature: sha256=<hex>}). Shared by notifications and the
 * webhook traffic router.
 */
@Component
public class WebhookSender {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final HttpClient client;
  private final SecretResolver secrets;

  /** Posts to destinations {@code outbound} allows, following no redirects. */
  public WebhookSender(SecretResolver secrets, OutboundPolicy outbound) {
    this.secrets = secrets;
    this.client = GuardedHttpClient.of(outbound, TIMEOUT);
  }

  /**
   * Sends {@code body}; 2xx is success.
   *
   * @return the response body
   * @throws RuntimeException a {@code Retryability} failure: retryable for I/O, timeouts, 5xx, 429
   */
  public String post(
      URI url, String body, @Nullable SecretRef signingSecret, @Nullable String idempotencyKey) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (idempotencyKey != null) {
      headers.put("Idempotency-Key", idempotencyKey);
    }
    if (signingSecret != null) {
      headers.put("X-Aviary-Signature", "sha256=" + hmac(secrets.resolve(signingSecret), body));
    }
    return send(url, "application/json", body, headers);
  }

  /**
   * POSTs {@code body} of {@code contentType} with {@code headers}; 2xx is success.
   *
   * @return the response body
   * @throws WebhookException retryable for I/O, timeouts, 5xx and 429 (with the receiver's {@code
   *     Retry-After}, if any)
   */
  public String send(URI url, String contentType, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Content-Type", contentType)
            .header("User-Agent", "aviary")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(request::header);
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (OutboundPolicy.DestinationRefusedException e) {
      throw new WebhookException(String.valueOf(e.getMessage()), false, e);
    } catch (IOException e) {
      throw new WebhookException(
          "cannot reach " + url.getHost() + ": " + e.getClass().getSimpleName(), true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WebhookException("interrupted while calling " + url.getHost(), true, e);
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      return response.body();
    }
    boolean retryable = dev.aviary.kernel.HttpStatuses.retryable(status);
    String said = response.body() == null ? "" : response.body().strip();
    if (said.length() > 200) {
      said = said.substring(0, 200) + "…";
    }
    throw new WebhookException(
        url.getHost() + " answered HTTP " + status + (said.isEmpty() ? "" : ": " + said),
        retryable,
        retryable ? retryAfter(response) : null,
        null);
  }

  /** {@code Retry-After} in seconds (the form the chat and paging services use), at most 1 h. */
  private static @Nullable Duration retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .filter(v -> v.strip().matches("\\d{1,6}"))
        .map(v -> Duration.ofSeconds(Math.min(3600, Long.parseLong(v.strip()))))
        .orElse(null);
  }

  /** Hex HMAC-SHA256 of {@code body} under {@code key}. */
  public static String hmac(String key, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
