package dev.aviary.analysis.metrics.http;

import dev.aviary.analysis.AnalysisException;
import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.RetryableAnalysisException;
import dev.aviary.kernel.GuardedHttpClient;
import dev.aviary.kernel.HttpStatuses;
import dev.aviary.kernel.OutboundPolicy;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sends requests and sorts failures into retryable and fatal ones. */
public final class HttpCalls {

  private HttpCalls() {}

  /** A client for metric backends: HTTP/1.1, a connect timeout, no redirects followed. */
  public static HttpClient newClient(Duration connectTimeout) {
    return GuardedHttpClient.of(OutboundPolicy.ANY, connectTimeout);
  }

  /**
   * Sends {@code request}; connection failures and timeouts become retryable exceptions. The
   * message names the backend and the host, never a header.
   */
  public static HttpResponse<String> send(HttpClient client, HttpRequest request, String backend) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (OutboundPolicy.DestinationRefusedException e) {
      throw new FatalAnalysisException(backend + ": " + e.getMessage());
    } catch (HttpTimeoutException e) {
      throw new RetryableAnalysisException(
          backend + " at " + request.uri().getHost() + " did not answer within the timeout", e);
    } catch (IOException e) {
      throw new RetryableAnalysisException(
          "cannot reach " + backend + " at " + hostPort(request) + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetryableAnalysisException("interrupted while querying " + backend, e);
    }
  }

  /** Whether an HTTP status is worth retrying: the shared rule of {@link HttpStatuses}. */
  public static boolean retryableStatus(int status) {
    return HttpStatuses.retryable(status);
  }

  /**
   * The exception for an unexpected answer, as {@link #statusError(String, int, String)}; a 429
   * also says when the backend lets Aviary ask again ({@code Retry-After}, or the {@code
   * X-RateLimit-Reset} seconds Datadog and others send).
   */
  public static AnalysisException statusError(String backend, HttpResponse<String> response) {
    AnalysisException e = statusError(backend, response.statusCode(), response.body());
    if (response.statusCode() == 429) {
      java.util.Optional<String> wait =
          response
              .headers()
              .firstValue("Retry-After")
              .or(() -> response.headers().firstValue("X-RateLimit-Reset"));
      if (wait.isPresent() && wait.get().matches("\\d{1,6}")) {
        return new RetryableAnalysisException(
            e.getMessage() + " (rate limited; the limit resets in " + wait.get() + " s)");
      }
    }
    return e;
  }

  /**
   * The exception for an answer that is not a success, where the service puts its reason for a 400
   * in a plain-text body (graphite-web, Loki): that reason quoted — first line, shortened,
   * credential-like runs masked — as a fatal error that {@code rejected} the query; any other
   * answer as {@link #statusError(String, HttpResponse)}.
   */
  public static AnalysisException rejection(
      String backend, String rejected, HttpResponse<String> response) {
    String body = response.body() == null ? "" : response.body().strip();
    if (response.statusCode() != 400
        || body.isEmpty()
        || body.startsWith("{")
        || body.startsWith("<")) {
      return statusError(backend, response);
    }
    String line = CREDENTIAL_LIKE.matcher(body.lines().findFirst().orElse("")).replaceAll("…");
    return new FatalAnalysisException(
        backend
            + " rejected the "
            + rejected
            + ": "
            + (line.length() > 200 ? line.substring(0, 200) + "..." : line));
  }

  /** The exception for an unexpected status: retryable or fatal as the status says. */
  public static AnalysisException statusError(String backend, int status, String body) {
    String message = backend + " answered HTTP " + status + snippet(body);
    if (status / 100 == 3) {
      return new FatalAnalysisException(
          backend
              + " answered HTTP "
              + status
              + ", a redirect; Aviary follows none (it would carry the plan's credentials"
              + " elsewhere): give the address it redirects to");
    }
    if (retryableStatus(status)) {
      return new RetryableAnalysisException(message);
    }
    if (status == 401 || status == 403) {
      return new FatalAnalysisException(
          backend + " refused the credentials (HTTP " + status + "); check auth and headers");
    }
    return new FatalAnalysisException(message);
  }

  /**
   * What an error answer said, as far as it is an error message: the {@code error} or {@code
   * message} member of a JSON answer (Prometheus and most APIs put the reason there), shortened,
   * with anything that looks like a credential (a long run of token characters) masked. Nothing
   * else of a fetched body is repeated: the reason is shown to everyone who may read the rollout.
   */
  static String snippet(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    Matcher m = ERROR_MEMBER.matcher(body);
    if (!m.find()) {
      return "";
    }
    String text = m.group(2).replace("\\\"", "\"").replaceAll("\\s+", " ").strip();
    text = CREDENTIAL_LIKE.matcher(text).replaceAll("…");
    return ": " + (text.length() > 160 ? text.substring(0, 160) + "..." : text);
  }

  private static final Pattern ERROR_MEMBER =
      Pattern.compile(
          "\"(error|message|errors)\"\\s*:\\s*\\[?\\s*\"((?:[^\"\\\\]|\\\\.){0,400})\"");

  private static final Pattern CREDENTIAL_LIKE = Pattern.compile("[A-Za-z0-9_+/=-]{24,}");

  private static String hostPort(HttpRequest r) {
    return hostPort(r.uri());
  }

  /**
   * A URL to show people: user information dropped, and the value of every query parameter whose
   * name suggests a credential ({@code token}, {@code key}, {@code secret}, {@code password},
   * {@code auth}, {@code signature}, {@code sig}) replaced by {@code ***}.
   */
  public static String masked(java.net.URI uri) {
    String query = uri.getRawQuery();
    StringBuilder shown =
        new StringBuilder()
            .append(uri.getScheme())
            .append("://")
            .append(hostPort(uri))
            .append(uri.getRawPath() == null ? "" : uri.getRawPath());
    if (query != null) {
      shown.append('?');
      String[] pairs = query.split("&", -1);
      for (int i = 0; i < pairs.length; i++) {
        String pair = pairs[i];
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        shown.append(i == 0 ? "" : "&");
        shown.append(eq >= 0 && CREDENTIAL_NAME.matcher(name).find() ? name + "=***" : pair);
      }
    }
    return shown.toString();
  }

  private static final Pattern CREDENTIAL_NAME =
      Pattern.compile("(?i)token|key|secret|passw|auth|signature|^sig$|credential|session");

  /** {@code host:port} of a URL (the port only when given), for names and messages. */
  public static String hostPort(java.net.URI uri) {
    int port = uri.getPort();
    return uri.getHost() + (port > 0 ? ":" + port : "");
  }

  /**
   * What went wrong on the way to a backend, in words a release engineer can act on ("connection
   * refused"), not an exception's class name.
   */
  static String describe(IOException e) {
    // the JDK's client wraps what happened (a ConnectException around a ClosedChannelException,
    // say): the outermost exception of a telling kind says most
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      root = t;
      if (t instanceof java.net.SocketException
          || t instanceof java.net.UnknownHostException
          || t instanceof java.nio.channels.UnresolvedAddressException
          || t instanceof javax.net.ssl.SSLException) {
        break;
      }
    }
    String m = root.getMessage();
    String detail = m == null || m.isBlank() ? "" : " (" + m + ")";
    if (root instanceof java.net.ConnectException) {
      return m != null && m.toLowerCase(java.util.Locale.ROOT).contains("timed out")
          ? "the connection timed out"
          : "connection refused";
    }
    if (root instanceof java.net.UnknownHostException) {
      return "unknown host" + (m == null ? "" : " " + m);
    }
    if (root instanceof java.net.NoRouteToHostException) {
      return "no route to the host";
    }
    if (root instanceof java.nio.channels.UnresolvedAddressException) {
      return "the host name does not resolve";
    }
    if (root instanceof javax.net.ssl.SSLException) {
      return "the TLS handshake failed" + detail;
    }
    if (root instanceof java.io.EOFException
        || root instanceof java.nio.channels.ClosedChannelException
        || (m != null && m.toLowerCase(java.util.Locale.ROOT).contains("closed"))) {
      return "the connection was closed before an answer came";
    }
    return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
  }
}
