package dev.aviary.analysis.metrics.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The AWS SDK's HTTP calls sent through the JDK client the host hands providers: the same connect
 * timeout, no redirects, and every destination checked against the outbound policy, as for every
 * other provider. (The SDK's own clients would open connections the policy never sees.)
 */
public final class JdkSdkHttpClient implements SdkHttpClient {

  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED =
      Set.of("host", "content-length", "connection", "expect", "upgrade");

  private final HttpClient client;
  private final Duration timeout;

  public JdkSdkHttpClient(HttpClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    SdkHttpRequest sdk = request.httpRequest();
    byte[] body;
    try (InputStream in =
        request.contentStreamProvider().isPresent()
            ? request.contentStreamProvider().get().newStream()
            : InputStream.nullInputStream()) {
      body = in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(sdk.getUri())
            .timeout(timeout)
            .method(
                sdk.method().name(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, List<String>> h : sdk.headers().entrySet()) {
      if (!RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        h.getValue().forEach(v -> b.header(h.getKey(), v));
      }
    }
    HttpRequest built = b.build();
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        HttpResponse<byte[]> response;
        try {
          response = client.send(built, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted");
        }
        SdkHttpFullResponse.Builder r =
            SdkHttpFullResponse.builder().statusCode(response.statusCode());
        response.headers().map().forEach(r::putHeader);
        return HttpExecuteResponse.builder()
            .response(r.build())
            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(response.body())))
            .build();
      }

      @Override
      public void abort() {
        // the JDK client's send is interrupted through its timeout; nothing to abort
      }
    };
  }

  @Override
  public String clientName() {
    return "AviaryJdk";
  }

  @Override
  public void close() {
    // the JDK client is the host's and outlives this adapter
  }
}
