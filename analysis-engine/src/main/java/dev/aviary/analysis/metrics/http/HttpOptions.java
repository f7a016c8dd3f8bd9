package dev.aviary.analysis.metrics.http;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.kernel.SecretRef;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.kernel.SecretUnavailableException;
import dev.aviary.kernel.SettingsReader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What every HTTP-based provider shares: a timeout, custom headers (literal or secret), and bearer
 * or basic authentication, or InfluxDB's {@code Token} scheme, whose credentials are secret
 * references.
 *
 * <pre>{@code
 * "timeout": "10s",
 * "headers": {"X-Scope-OrgID": "team-a", "X-Api-Key": {"env": "METRICS_KEY"}},
 * "auth": {"bearer": {"env": "PROM_TOKEN"}}
 *      or {"basic": {"username": "aviary", "password": {"file": "/secrets/prom"}}}
 *      or {"token": {"env": "INFLUX_TOKEN"}}  (Authorization: Token ...)
 * }</pre>
 */
public record HttpOptions(
    Duration timeout,
    Map<String, String> headers,
    Map<String, SecretRef> secretHeaders,
    @Nullable SecretRef bearer,
    @Nullable String basicUser,
    @Nullable SecretRef basicPassword,
    @Nullable SecretRef token,
    @Nullable SigV4 sigv4) {

  /** Signature Version 4 for {@code service} (Amazon Managed Prometheus: {@code aps}). */
  public record SigV4(AwsAuth aws, String service) {}

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "authorization");

  public HttpOptions {
    headers = Map.copyOf(headers);
    secretHeaders = Map.copyOf(secretHeaders);
  }

  /** Reads {@code timeout}, {@code headers} and {@code auth}; violations go to the reader. */
  public static HttpOptions read(SettingsReader r) {
    return read(r, false);
  }

  /**
   * As {@link #read(SettingsReader)}, where {@code auth} may also be {@code {"sigv4": {"region": …,
   * "service": "aps", …}}} ({@link AwsAuth}'s fields): for a provider that signs its requests.
   */
  public static HttpOptions readAllowingSigV4(SettingsReader r) {
    return read(r, true);
  }

  private static HttpOptions read(SettingsReader r, boolean sigv4Allowed) {
    Duration timeout = r.duration("timeout", DEFAULT_TIMEOUT);
    if (timeout.compareTo(Duration.ofMinutes(5)) > 0) {
      r.violation("timeout", "must not exceed 5m");
    }
    Map<String, String> literal = new LinkedHashMap<>();
    Map<String, SecretRef> secret = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : r.entries("headers").entrySet()) {
      String name = e.getKey();
      String field = "headers." + name;
      if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        r.violation(field, "is not a valid header name");
      } else if (RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        r.violation(
            field,
            "cannot be set here" + (name.equalsIgnoreCase("authorization") ? "; use auth" : ""));
      } else if (e.getValue() instanceof String s) {
        literal.put(name, s);
      } else {
        SecretRef ref = r.secretFrom(field, e.getValue());
        if (ref != null) {
          secret.put(name, ref);
        }
      }
    }
    SecretRef bearer = null;
    SecretRef token = null;
    SigV4 sigv4 = null;
    String user = null;
    SecretRef password = null;
    Optional<SettingsReader> auth = r.object("auth");
    if (auth.isPresent()) {
      SettingsReader a = auth.get();
      bearer = a.secret("bearer", false);
      Optional<SettingsReader> basic = a.object("basic");
      if (basic.isPresent()) {
        user = basic.get().requiredString("username");
        password = basic.get().secret("password", true);
        basic.get().rejectUnknown();
      }
      token = a.secret("token", false);
      Optional<SettingsReader> signing = sigv4Allowed ? a.object("sigv4") : Optional.empty();
      if (signing.isPresent()) {
        SettingsReader v = signing.get();
        String service = v.string("service").orElse("aps");
        if (!service.matches("[a-z0-9-]{2,40}")) {
          v.violation("service", "must be an AWS service's signing name, such as aps");
        }
        AwsAuth aws = AwsAuth.read(v, null);
        v.rejectUnknown();
        sigv4 = aws == null ? null : new SigV4(aws, service);
      }
      int schemes =
          (a.has("bearer") ? 1 : 0)
              + (basic.isPresent() ? 1 : 0)
              + (a.has("token") ? 1 : 0)
              + (signing.isPresent() ? 1 : 0);
      if (schemes > 1) {
        a.violation("", "choose one of bearer, basic, token" + (sigv4Allowed ? " or sigv4" : ""));
      }
      if (schemes == 0) {
        a.violation("", "needs bearer, basic, token" + (sigv4Allowed ? " or sigv4" : ""));
      }
      a.rejectUnknown();
    }
    return new HttpOptions(timeout, literal, secret, bearer, user, password, token, sigv4);
  }

  /**
   * Adds the timeout, headers and credentials to {@code request}, resolving secrets now.
   *
   * @throws FatalAnalysisException when a secret cannot be opened
   */
  public HttpRequest.Builder apply(HttpRequest.Builder request, SecretResolver secrets) {
    try {
      return applyResolved(request, secrets);
    } catch (SecretUnavailableException e) {
      throw new FatalAnalysisException(String.valueOf(e.getMessage()));
    }
  }

  private HttpRequest.Builder applyResolved(HttpRequest.Builder request, SecretResolver secrets) {
    request.timeout(timeout);
    headers.forEach(request::header);
    secretHeaders.forEach((name, ref) -> request.header(name, secrets.resolve(ref)));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + secrets.resolve(bearer));
    } else if (token != null) {
      request.header("Authorization", "Token " + secrets.resolve(token));
    } else if (basicUser != null && basicPassword != null) {
      String pair = basicUser + ":" + secrets.resolve(basicPassword);
      request.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return request;
  }
}
