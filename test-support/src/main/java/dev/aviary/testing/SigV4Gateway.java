package dev.aviary.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A stand-in for Amazon Managed Service for Prometheus's front door: requests to {@code
 * /workspaces/<id>/api/v1/...} must carry a valid Signature Version 4 for service {@code aps}
 * (checked by {@link SigV4Verifier}, independent of the SDK that signs; 403 {@code {"message":
 * "..."}} otherwise, as AMP answers), and are then answered by a real Prometheus-API server behind
 * it with the workspace prefix removed — a VictoriaMetrics in the tests. AMP itself exists only as
 * a service.
 */
public final class SigV4Gateway implements AutoCloseable {

  private final HttpServer server;
  private final SigV4Verifier verifier;
  private final String workspace;
  private final String upstream;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Map<String, List<String>>> signedHeaders = new CopyOnWriteArrayList<>();

  public SigV4Gateway(String region, SigV4Verifier.Key key, String workspace, String upstream) {
    this.verifier = new SigV4Verifier(region).accept(key);
    this.workspace = workspace;
    this.upstream = upstream;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** The workspace's base URL, what a plan's {@code address} names. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/workspaces/" + workspace;
  }

  /** The headers of each request that was let through. */
  public List<Map<String, List<String>>> accepted() {
    return List.copyOf(signedHeaders);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getRawPath();
      String prefix = "/workspaces/" + workspace;
      Optional<String> bad =
          verifier.check(
              "aps",
              exchange.getRequestMethod(),
              path,
              exchange.getRequestURI().getRawQuery(),
              exchange.getRequestHeaders(),
              body);
      byte[] answer;
      int status;
      String type = "application/json";
      if (bad.isPresent()) {
        status = 403;
        answer =
            ("{\"message\":\"" + Json.escape(bad.get()) + "\"}").getBytes(StandardCharsets.UTF_8);
      } else if (!path.startsWith(prefix + "/api/v1/")) {
        status = 404;
        answer = "{\"message\":\"no such workspace\"}".getBytes(StandardCharsets.UTF_8);
      } else {
        signedHeaders.add(Map.copyOf(exchange.getRequestHeaders()));
        String query = exchange.getRequestURI().getRawQuery();
        HttpRequest.Builder forward =
            HttpRequest.newBuilder(
                URI.create(
                    upstream
                        + path.substring(prefix.length())
                        + (query == null ? "" : "?" + query)));
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null) {
          forward.header("Content-Type", contentType);
        }
        forward.method(
            exchange.getRequestMethod(),
            body.length == 0
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
          HttpResponse<byte[]> r =
              http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
          status = r.statusCode();
          answer = r.body();
          type = r.headers().firstValue("Content-Type").orElse(type);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          status = 503;
          answer = new byte[0];
        }
      }
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        exchange.getResponseBody().write(answer);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
