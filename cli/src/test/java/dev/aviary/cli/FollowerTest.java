package dev.aviary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How {@code --wait} survives a connection that breaks in the middle of a rollout, as when the
 * controller restarts or a proxy cuts an idle stream. The server here speaks Aviary's own event
 * stream (id, event and data lines, a final {@code end}) and its JSON, and breaks connections on
 * purpose: a real controller cannot be made to cut a stream after exactly two events. The whole
 * flow against a real controller is in CliIT.
 */
class FollowerTest {

  private static final String ID = "5f0c2a8e-0000-4000-8000-000000000001";

  /** One answer to one request: a status, and what to do with the body. */
  private record Script(int status, String body, boolean breakAfter) {}

  private final List<String> lastEventIds = new CopyOnWriteArrayList<>();
  private final List<Script> streamAnswers = new CopyOnWriteArrayList<>();
  private @Nullable ServerSocket server;
  private @Nullable Thread acceptor;

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aBrokenStreamResumesAfterTheLastEventPrintedSoNothingIsPrintedTwiceOrSkipped()
      throws Exception {
    streamAnswers.add(
        new Script(200, event(1, "created", "CREATED") + event(2, "weight", "WEIGHT"), true));
    streamAnswers.add(new Script(200, event(3, "transition", "TRANSITION") + end(), false));
    start();

    Run run = follow();

    assertThat(run.code).isEqualTo(ExitCodes.SUCCEEDED);
    assertThat(lastEventIds).as("Last-Event-ID of each stream request").containsExactly("", "2");
    assertThat(run.out.lines().filter(l -> l.startsWith("[")))
        .containsExactly(
            "[10:00:01] accepted by the controller",
            "[10:00:02] weight 0% -> 10%",
            "[10:00:03] PROGRESSING -> SUCCEEDED: promoted");
    assertThat(run.err).contains("lost the event stream").contains("reconnecting");
  }

  @Test
  void anAnswerThatAskingAgainCannotChangeEndsTheWaitAtOnceWithTheServersReason() throws Exception {
    streamAnswers.add(new Script(200, event(1, "created", "CREATED"), true));
    streamAnswers.add(
        new Script(
            401,
            "{\"status\":401,\"title\":\"Unauthorized\",\"detail\":\"the token was revoked\"}",
            false));
    start();

    Run run = follow();

    assertThat(run.code).isEqualTo(ExitCodes.ERROR);
    assertThat(run.err).contains("aviary: the token was revoked");
    assertThat(lastEventIds).as("asked once more, not for the rest of the timeout").hasSize(2);
  }

  private record Run(int code, String out, String err) {}

  private Run follow() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ApiClient api = new ApiClient("http://127.0.0.1:" + server.getLocalPort(), "avy_test");
    int code =
        new Follower(api, new PrintWriter(out), new PrintWriter(err))
            .follow(ID, Duration.ofMinutes(1));
    return new Run(code, out.toString(), err.toString());
  }

  private static String event(int id, String name, String type) {
    String reason =
        switch (type) {
          case "TRANSITION" ->
              "\"fromPhase\":\"PROGRESSING\",\"toPhase\":\"SUCCEEDED\",\"reason\":\"promoted\"";
          case "WEIGHT" -> "\"fromWeight\":0,\"toWeight\":10";
          default -> "\"reason\":\"\"";
        };
    return "id:"
        + id
        + "\nevent:"
        + name
        + "\ndata:{\"id\":"
        + id
        + ",\"at\":\"2026-12-01T10:00:0"
        + id
        + "Z\",\"type\":\""
        + type
        + "\","
        + reason
        + "}\n\n";
  }

  private static String end() {
    return "event:end\ndata:{\"phase\":\"SUCCEEDED\"}\n\n";
  }

  private void start() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                  answer(s);
                } catch (IOException e) {
                  // closed at the end of the test, or the client went away
                }
              }
            },
            "fake-aviary");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Answers one request on a connection, then closes it. */
  private void answer(Socket s) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    String requestLine = in.readLine();
    String lastEventId = "";
    for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
      if (h.toLowerCase(Locale.ROOT).startsWith("last-event-id:")) {
        lastEventId = h.substring(h.indexOf(':') + 1).trim();
      }
    }
    OutputStream out = s.getOutputStream();
    String path = requestLine.split(" ")[1];
    if (path.endsWith("/events/stream")) {
      lastEventIds.add(lastEventId);
      Script script =
          streamAnswers.isEmpty()
              ? new Script(500, "{\"detail\":\"no more answers\"}", false)
              : streamAnswers.remove(0);
      if (script.status != 200) {
        write(out, script.status, "application/problem+json", script.body);
        return;
      }
      out.write(
          ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      byte[] chunk = script.body.getBytes(StandardCharsets.UTF_8);
      out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(chunk);
      out.write("\r\n".getBytes(StandardCharsets.UTF_8));
      if (!script.breakAfter) {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      }
      out.flush();
      // breakAfter: the socket closes without the last chunk, a connection cut mid-stream
      return;
    }
    // the rollout itself, asked once the stream has ended
    write(
        out,
        200,
        "application/json",
        "{\"id\":\"" + ID + "\",\"phase\":\"SUCCEEDED\",\"reason\":\"promoted\"}");
  }

  private static void write(OutputStream out, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    out.write(
        ("HTTP/1.1 "
                + status
                + " X\r\nContent-Type: "
                + type
                + "\r\nContent-Length: "
                + bytes.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    out.write(bytes);
    out.flush();
  }
}
