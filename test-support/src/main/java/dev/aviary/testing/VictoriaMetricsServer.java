package dev.aviary.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real VictoriaMetrics single node (the Debian package {@code victoria-metrics}) on a free
 * loopback port, its data in a directory of the test's. Samples are written through its Prometheus
 * text import ({@code /api/v1/import/prometheus}, with millisecond timestamps), and read through
 * its Prometheus-compatible query API — what Aviary's {@code prometheus} provider calls.
 */
public final class VictoriaMetricsServer implements AutoCloseable {

  private final int port = FreePorts.next();
  private final ManagedProcess process;
  private final HttpClient http = HttpClient.newHttpClient();

  private VictoriaMetricsServer(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    process =
        new ManagedProcess(
                "victoria-metrics",
                List.of(
                    ManagedProcess.binary("victoria-metrics", "victoria-metrics"),
                    "-httpListenAddr=127.0.0.1:" + port,
                    "-storageDataPath=" + dir.resolve("data"),
                    "-retentionPeriod=1d",
                    // answer with the newest samples at once (by default it hides the last 30 s)
                    "-search.latencyOffset=0s",
                    "-search.disableCache"),
                dir.resolve("victoria-metrics.log"))
            .start();
    await("VictoriaMetrics ready on port " + port)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> HttpProbe.status(url() + "/health") == 200);
  }

  public static VictoriaMetricsServer start(Path dir) {
    return new VictoriaMetricsServer(dir);
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * Writes samples in the Prometheus text format, each line {@code name{labels} value
   * timestampMillis}, and makes them visible to queries at once.
   */
  public void write(String lines) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url() + "/api/v1/import/prometheus"))
                  .POST(HttpRequest.BodyPublishers.ofString(lines))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException("VictoriaMetrics refused the samples: " + r.body());
      }
      http.send(
          HttpRequest.newBuilder(URI.create(url() + "/internal/force_flush")).GET().build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.stop();
  }
}
