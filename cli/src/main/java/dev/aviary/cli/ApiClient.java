package dev.aviary.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/** The few HTTP calls the CLI makes, with the token (if any) and JSON in and out. */
final class ApiClient {

  static final JsonMapper JSON = JsonMapper.builder().build();

  private final String server;
  private final @Nullable String token;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  ApiClient(String server, @Nullable String token) {
    this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    this.token = token;
  }

  /** An answer: status, headers, body as JSON (null if none), whether a token was sent. */
  record Answer(int status, HttpResponse<String> raw, @Nullable JsonNode json, boolean tokenSent) {
    /** The JSON answered; an empty (missing) node when the body was not JSON. */
    JsonNode body() {
      return json != null ? json : MissingNode.getInstance();
    }

    boolean ok() {
      return status / 100 == 2;
    }

    /** The server's own words for a failure (a problem document's detail and field errors). */
    String problem() {
      return problemText(status, json, tokenSent);
    }
  }

  /** A problem document's detail and field errors in words, with a hint for a missing token. */
  static String problemText(int status, @Nullable JsonNode json, boolean tokenSent) {
    StringBuilder sb =
        new StringBuilder(
            json == null ? "HTTP " + status : json.path("detail").asString("HTTP " + status));
    if (json != null) {
      for (JsonNode e : json.path("errors")) {
        sb.append("\n  ")
            .append(e.path("field").asString())
            .append(": ")
            .append(e.path("message").asString());
      }
    }
    if (status == 401 && !tokenSent) {
      sb.append(
          "\n  no token was sent: set AVIARY_TOKEN or --token-file. The first admin token is"
              + " printed once when the controller first starts and written to"
              + " .aviary/admin-token in its working directory (docs/security.md)");
    }
    return sb.toString();
  }

  /**
   * The server answered a stream request with an error. {@link #retryable()} tells whether asking
   * again can help: a server error, a timeout or too many requests can; an unknown rollout, a
   * revoked token or a missing role cannot.
   */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refused(int status, String problem) {
      super(problem);
      this.status = status;
    }

    int status() {
      return status;
    }

    boolean retryable() {
      return status >= 500 || status == 408 || status == 429;
    }
  }

  Answer send(String method, String path, @Nullable Object body, Map<String, String> headers)
      throws IOException {
    String payload =
        body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server + path))
            .timeout(Duration.ofSeconds(60))
            .header("Accept", "application/json")
            .method(
                method,
                payload == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(payload));
    if (payload != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      if (!response.body().isBlank()) {
        try {
          json = JSON.readTree(response.body());
        } catch (RuntimeException notJson) {
          json = null;
        }
      }
      return new Answer(response.statusCode(), response, json, token != null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * Reads a server-sent event stream until it ends or {@code until} passes; each event's name, id
   * and data go to {@code onEvent}. Returns the id of the last event seen; throws {@link Refused}
   * when the server refuses the stream.
   */
  long stream(String path, long lastEventId, Duration until, Consumer<Sse> onEvent)
      throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server + path))
            .timeout(until)
            .header("Accept", "text/event-stream");
    if (lastEventId > 0) {
      request.header("Last-Event-ID", String.valueOf(lastEventId));
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<Stream<String>> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (response.statusCode() / 100 != 2) {
      String text;
      try (Stream<String> lines = response.body()) {
        text = String.join("\n", lines.toList());
      } catch (java.io.UncheckedIOException e) {
        text = "";
      }
      JsonNode json = null;
      try {
        json = text.isBlank() ? null : JSON.readTree(text);
      } catch (RuntimeException notJson) {
        json = null;
      }
      throw new Refused(
          response.statusCode(), problemText(response.statusCode(), json, token != null));
    }
    long[] last = {lastEventId};
    String[] name = {null};
    String[] id = {null};
    StringBuilder data = new StringBuilder();
    // The request timeout covers only the headers: close the body when waiting runs out, which
    // ends the blocking read below.
    Stream<String> body = response.body();
    CompletableFuture<Void> deadline =
        CompletableFuture.runAsync(
            body::close,
            CompletableFuture.delayedExecutor(until.toMillis(), TimeUnit.MILLISECONDS));
    try (Stream<String> lines = body) {
      lines.forEach(
          line -> {
            if (line.isEmpty()) {
              if (data.length() > 0) {
                long eventId = id[0] != null ? Long.parseLong(id[0]) : 0;
                if (eventId > 0) {
                  last[0] = eventId;
                }
                onEvent.accept(new Sse(name[0], eventId, JSON.readTree(data.toString())));
              }
              name[0] = null;
              id[0] = null;
              data.setLength(0);
            } else if (line.startsWith("event:")) {
              name[0] = line.substring(6).trim();
            } else if (line.startsWith("id:")) {
              id[0] = line.substring(3).trim();
            } else if (line.startsWith("data:")) {
              data.append(line.substring(5).trim());
            }
          });
    } catch (java.io.UncheckedIOException e) {
      if (deadline.isDone()) {
        throw new HttpTimeoutException("no end of the rollout within the timeout");
      }
      throw e.getCause();
    } finally {
      deadline.cancel(false);
    }
    return last[0];
  }

  /** One server-sent event; {@code id} is 0 when the event had none (the final "end"). */
  record Sse(String name, long id, JsonNode data) {}
}
