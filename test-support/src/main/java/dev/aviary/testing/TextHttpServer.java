package dev.aviary.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server on a free loopback port whose answers the test sets: a scrape target for
 * Prometheus, a JSON endpoint for the web provider, a webhook receiver. Every request is recorded.
 */
public final class TextHttpServer implements AutoCloseable {

  /** What a path answers. */
  public record Reply(int status, String contentType, String body, Map<String, String> headers) {
    public Reply(int status, String contentType, String body) {
      this(status, contentType, body, Map.of());
    }

    public static Reply ok(String contentType, String body) {
      return new Reply(200, contentType, body);
    }

    public static Reply json(int status, String body) {
      return new Reply(status, "application/json", body);
    }

    /** This reply with one more header. */
    public Reply withHeader(String name, String value) {
      Map<String, String> all = new java.util.LinkedHashMap<>(headers);
      all.put(name, value);
      return new Reply(status, contentType, body, Map.copyOf(all));
    }
  }

  /** A request as it arrived. */
  public record Recorded(
      String method, String path, String query, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  static {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
    // delayed ACK: 40 ms per request. Real servers (Prometheus, nginx) set it.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final Map<String, Function<Recorded, Reply>> routes = new ConcurrentHashMap<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private volatile Function<Recorded, Reply> fallback =
      r -> new Reply(404, "text/plain", "no route");

  public TextHttpServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  public TextHttpServer answer(String path, Reply reply) {
    routes.put(path, r -> reply);
    return this;
  }

  public TextHttpServer answer(String path, Function<Recorded, Reply> reply) {
    routes.put(path, reply);
    return this;
  }

  /** What every path without an answer of its own answers (404 otherwise). */
  public TextHttpServer otherwise(Function<Recorded, Reply> reply) {
    fallback = reply;
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** The value of query parameter {@code name} in a raw query string, decoded; null if absent. */
  public static String param(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&", -1)) {
      int eq = pair.indexOf('=');
      String key =
          java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals(name)) {
        return eq < 0
            ? ""
            : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Recorded recorded =
          new Recorded(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestURI().getRawQuery(),
              Map.copyOf(exchange.getRequestHeaders()),
              body);
      requests.add(recorded);
      Function<Recorded, Reply> route = routes.get(recorded.path());
      Reply reply = route == null ? fallback.apply(recorded) : route.apply(recorded);
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      exchange.sendResponseHeaders(
          reply.status(), bytes.length == 0 || reply.status() == 204 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
