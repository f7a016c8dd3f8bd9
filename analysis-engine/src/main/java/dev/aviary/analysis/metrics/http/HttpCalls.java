package dev.aviary.analysis.metrics.http;

import dev.aviary.analysis.AnalysisException;
import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.RetryableAnalysisException;
import dev.aviary.kernel.HttpStatuses;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** Sends requests and sorts failures into retryable and fatal ones. */
public final class HttpCalls {

  private HttpCalls() {}

  /** A client for metric backends: HTTP/1.1, a connect timeout, no redirects followed blindly. */
  public static HttpClient newClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /**
   * Sends {@code request}; connection failures and timeouts become retryable exceptions. The
   * message names the backend and the host, never a header.
   */
  public static HttpResponse<String> send(HttpClient client, HttpRequest request, String backend) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
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

  /** The exception for an unexpected status: retryable or fatal as the status says. */
  public static AnalysisException statusError(String backend, int status, String body) {
    String message = backend + " answered HTTP " + status + snippet(body);
    if (retryableStatus(status)) {
      return new RetryableAnalysisException(message);
    }
    if (status == 401 || status == 403) {
      return new FatalAnalysisException(
          backend + " refused the credentials (HTTP " + status + "); check auth and headers");
    }
    return new FatalAnalysisException(message);
  }

  private static String snippet(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String oneLine = body.strip().replaceAll("\\s+", " ");
    return ": " + (oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine);
  }

  private static String hostPort(HttpRequest r) {
    return hostPort(r.uri());
  }

  /** {@code host:port} of a URL (the port only when given), for names and messages. */
  public static String hostPort(java.net.URI uri) {
    int port = uri.getPort();
    return uri.getHost() + (port > 0 ? ":" + port : "");
  }

  private static String describe(IOException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return root.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
  }
}
