package dev.aviary.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.aviary.testing.FreePorts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the caller gets is the primary's answer as it is — streamed, errors and headers included —
 * while every request is also compared; and when the primary cannot answer, the caller is told so
 * as a proxy tells it (502, 504).
 */
class PrimaryPassThroughIT {

  private HttpServer primary;
  private ParallelRunProxy proxy;
  private final CountDownLatch firstChunkSeen = new CountDownLatch(1);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    primary = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    primary.createContext(
        "/stream",
        e -> {
          e.getResponseHeaders().set("Content-Type", "text/plain");
          e.sendResponseHeaders(200, 0); // chunked
          try (OutputStream out = e.getResponseBody()) {
            out.write("first\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            // the rest only once the caller has the first chunk (or after 10 s, if it never does)
            boolean seen = firstChunkSeen.await(10, TimeUnit.SECONDS);
            out.write((seen ? "last\n" : "late\n").getBytes(StandardCharsets.UTF_8));
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
          }
        });
    primary.createContext(
        "/busy",
        e -> {
          byte[] body = "busy\n".getBytes(StandardCharsets.UTF_8);
          e.getResponseHeaders().set("Retry-After", "7");
          e.getResponseHeaders().set("X-Trace", "abc");
          e.sendResponseHeaders(503, body.length);
          try (OutputStream out = e.getResponseBody()) {
            out.write(body);
          }
        });
    primary.createContext(
        "/big",
        e -> {
          e.sendResponseHeaders(200, 0); // chunked, no length to go by
          try (OutputStream out = e.getResponseBody()) {
            byte[] chunk = new byte[8192];
            java.util.Arrays.fill(chunk, (byte) 'x');
            for (int i = 0; i < 128; i++) {
              out.write(chunk);
            }
          }
        });
    primary.createContext(
        "/slow",
        e -> {
          try {
            Thread.sleep(3000);
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
          }
          e.sendResponseHeaders(200, -1);
          e.close();
        });
    primary.setExecutor(Executors.newFixedThreadPool(8));
    primary.start();
    String url = "http://127.0.0.1:" + primary.getAddress().getPort();
    proxy =
        new ParallelRunProxy(
                SettingsFile.parse(
                    "listen: 0\nprimary: "
                        + url
                        + "\ncandidate: "
                        + url
                        + "\nprimaryTimeout: 1s\nmaxBodyBytes: 65536\n",
                    name -> null),
                "test",
                Clock.systemUTC())
            .start();
  }

  @AfterEach
  void stop() {
    firstChunkSeen.countDown();
    proxy.close();
    primary.stop(0);
  }

  private URI at(String path) {
    return URI.create("http://127.0.0.1:" + proxy.port() + path);
  }

  @Test
  void aStreamedAnswerReachesTheCallerChunkByChunk() throws Exception {
    HttpResponse<java.io.InputStream> r =
        http.send(
            HttpRequest.newBuilder(at("/stream")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      assertThat(in.readLine()).isEqualTo("first");
      // the primary has not sent the rest yet: the proxy passed the first chunk on as it came
      assertThat(firstChunkSeen.getCount()).isEqualTo(1);
      firstChunkSeen.countDown();
      assertThat(in.readLine()).isEqualTo("last");
    }
  }

  /** 1 MiB answers over a 64 KiB limit: the caller gets it whole, the comparison is skipped. */
  @Test
  void anAnswerOverTheBodyLimitReachesTheCallerWholeAndIsNotCompared() throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(at("/big")).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).hasSize(128 * 8192);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> summary().skipped() == 1);
    assertThat(summary().comparisons()).isZero();
  }

  /**
   * A candidate that answers a small request with a body that never ends: its answer is read up to
   * the bound and no further — with the whole answer held first, the comparison would wait for the
   * candidate timeout and report a timeout instead.
   */
  @Test
  void aCandidatesEndlessAnswerIsReadOnlyUpToTheBoundAndCountedAsAnError() throws Exception {
    HttpServer endless = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    CountDownLatch hungUp = new CountDownLatch(1);
    endless.createContext(
        "/busy",
        e -> {
          e.sendResponseHeaders(503, 0); // chunked, and it never ends
          byte[] chunk = new byte[8192];
          try (OutputStream out = e.getResponseBody()) {
            for (int i = 0; i < 1_000_000; i++) {
              out.write(chunk);
              out.flush();
            }
          } catch (java.io.IOException ex) {
            hungUp.countDown(); // the proxy closed the connection: it stopped reading
          }
        });
    endless.setExecutor(Executors.newFixedThreadPool(2));
    endless.start();
    String url = "http://127.0.0.1:" + primary.getAddress().getPort();
    try (ParallelRunProxy p =
        new ParallelRunProxy(
                SettingsFile.parse(
                    "listen: 0\nprimary: "
                        + url
                        + "\ncandidate: http://127.0.0.1:"
                        + endless.getAddress().getPort()
                        + "\ncandidateTimeout: 30s\nmaxBodyBytes: 65536\n",
                    name -> null),
                "test",
                Clock.systemUTC())
            .start()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port() + "/busy")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).isEqualTo("busy\n");
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !p.totals().samples().isEmpty());
      assertThat(p.totals().samples().get(0).candidate().body())
          .isEqualTo("answered with a body over maxBodyBytes");
      assertThat(hungUp.await(20, TimeUnit.SECONDS)).isTrue();
    } finally {
      endless.stop(0);
    }
  }

  private dev.aviary.parallelrun.tally.ComparisonSummary summary() {
    return dev.aviary.parallelrun.tally.ComparisonSummary.builder()
        .add(proxy.totals())
        .build(dev.aviary.parallelrun.tally.NoiseThresholds.DEFAULT);
  }

  @Test
  void anErrorAnswerPassesUnchangedWithItsHeaders() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(at("/busy")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("busy\n");
    assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(r.headers().firstValue("X-Trace")).hasValue("abc");
  }

  @Test
  void aPrimaryTooSlowIs504AndOneThatIsNotThereIs502() throws Exception {
    HttpResponse<String> slow =
        http.send(
            HttpRequest.newBuilder(at("/slow")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(slow.statusCode()).isEqualTo(504);
    assertThat(slow.body()).contains("the primary did not answer in time");

    int dead = FreePorts.next();
    try (ParallelRunProxy nowhere =
        new ParallelRunProxy(
                SettingsFile.parse(
                    "listen: 0\nprimary: http://127.0.0.1:"
                        + dead
                        + "\ncandidate: http://127.0.0.1:"
                        + dead
                        + "\n",
                    name -> null),
                "test",
                Clock.systemUTC())
            .start()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nowhere.port() + "/x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.body()).contains("the primary refused the connection");
    }
  }
}
