package dev.aviary.controller.support;

import dev.aviary.testing.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small real-HTTP client for integration tests: requests go through the servlet stack. */
public final class Api {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String base;
  private final Map<String, String> defaultHeaders = new LinkedHashMap<>();

  /** A client of the controller on {@code port}, authenticated as the bootstrap admin. */
  public Api(int port) {
    this("http://127.0.0.1:" + port);
  }

  /** A client of the controller at {@code base}, authenticated as the bootstrap admin. */
  public Api(String base) {
    this.base = base;
    defaultHeaders.put("Authorization", "Bearer " + TestTokens.ADMIN);
  }

  public Api withHeader(String name, String value) {
    Api copy = new Api(base);
    copy.defaultHeaders.clear();
    copy.defaultHeaders.putAll(defaultHeaders);
    copy.defaultHeaders.put(name, value);
    return copy;
  }

  /** The same controller with this bearer token instead. */
  public Api withToken(String token) {
    return withHeader("Authorization", "Bearer " + token);
  }

  /** The same controller without credentials. */
  public Api anonymous() {
    Api copy = new Api(base);
    copy.defaultHeaders.clear();
    copy.defaultHeaders.putAll(defaultHeaders);
    copy.defaultHeaders.remove("Authorization");
    return copy;
  }

  /** A response: status, headers, and the body parsed as JSON (null when empty or not JSON). */
  public record Response(
      int status, Map<String, List<String>> headers, String text, JsonNode json) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }

    /** The {@code field}s named in a problem document's {@code errors}. */
    public List<String> errorFields() {
      return json.path("errors").valueStream().map(e -> e.path("field").asString()).toList();
    }
  }

  public Response get(String path) {
    return send("GET", path, null, Map.of());
  }

  public Response post(String path, Object body) {
    return send("POST", path, body, Map.of());
  }

  public Response post(String path, Object body, Map<String, String> headers) {
    return send("POST", path, body, headers);
  }

  public Response put(String path, Object body, Map<String, String> headers) {
    return send("PUT", path, body, headers);
  }

  public Response delete(String path, Map<String, String> headers) {
    return send("DELETE", path, null, headers);
  }

  /** Sends {@code body} as JSON (a String is sent verbatim). */
  public Response send(String method, String path, Object body, Map<String, String> headers) {
    String payload =
        body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                payload == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(payload));
    if (payload != null) {
      request.header("Content-Type", "application/json");
    }
    defaultHeaders.forEach(request::header);
    headers.forEach(request::header);
    try {
      HttpResponse<java.io.InputStream> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      String text;
      try (java.io.InputStream in = response.body()) {
        // an event stream that does not end (a live feed) is read up to its first event
        text =
            response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")
                ? firstEvent(in)
                : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
      JsonNode json = null;
      if (!text.isBlank()) {
        try {
          json = JSON.readTree(text);
        } catch (RuntimeException notJson) {
          json = null;
        }
      }
      return new Response(response.statusCode(), response.headers().map(), text, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String firstEvent(java.io.InputStream in) throws IOException {
    java.io.BufferedReader reader =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
    StringBuilder b = new StringBuilder();
    for (String line = reader.readLine();
        line != null && !line.isEmpty();
        line = reader.readLine()) {
      b.append(line).append('\n');
    }
    return b.toString();
  }
}
