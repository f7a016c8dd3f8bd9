package dev.aviary.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.aviary.parallelrun.tally.ComparisonSummary;
import dev.aviary.parallelrun.tally.NoiseThresholds;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The proxy's own port: {@code /metrics} (Prometheus), {@code /healthz}, and {@code /summary} — the
 * comparisons since start, read with the default noise thresholds, with the samples kept.
 */
final class AdminServer implements AutoCloseable {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private final HttpServer server;

  AdminServer(int port, ParallelRunProxy proxy) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 50);
    server.createContext(
        "/metrics",
        e -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          PrometheusTextFormatWriter.create().write(out, proxy.metrics().registry.scrape());
          send(e, PrometheusTextFormatWriter.CONTENT_TYPE, out.toByteArray());
        });
    server.createContext(
        "/healthz", e -> send(e, "text/plain", "ok\n".getBytes(StandardCharsets.UTF_8)));
    server.createContext(
        "/summary",
        e -> {
          var totals = proxy.totals();
          ComparisonSummary summary =
              ComparisonSummary.builder().add(totals).build(NoiseThresholds.DEFAULT);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("sample", proxy.sample());
          body.put("mismatchRate", summary.mismatchRate());
          body.put("summary", summary);
          body.put("samples", totals.samples());
          send(e, "application/json", JSON.writeValueAsBytes(body));
        });
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "aviary-proxy-admin");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void send(HttpExchange e, String type, byte[] body) throws IOException {
    e.getResponseHeaders().set("Content-Type", type);
    e.sendResponseHeaders(200, body.length);
    try (OutputStream os = e.getResponseBody()) {
      os.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
