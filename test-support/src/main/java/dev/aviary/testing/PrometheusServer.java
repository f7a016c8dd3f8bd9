package dev.aviary.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Prometheus (the Debian package) on a free loopback port, scraping the given targets every
 * second, with its data in a directory of the test's.
 */
public final class PrometheusServer implements AutoCloseable {

  private final int port;
  private final Path dir;
  private final List<String> targets;
  private final String webConfig;
  private final String metricsPath;
  private ManagedProcess process;

  private PrometheusServer(Path dir, List<String> targets, String webConfig, String metricsPath) {
    this.port = FreePorts.next();
    this.dir = dir;
    this.targets = List.copyOf(targets);
    this.webConfig = webConfig;
    this.metricsPath = metricsPath;
  }

  /** Starts Prometheus scraping {@code targets} (host:port, path /metrics) every second. */
  public static PrometheusServer start(Path dir, List<String> targets) {
    return new PrometheusServer(dir, targets, null, "/metrics").start();
  }

  /** As {@link #start}, scraping {@code metricsPath} (such as {@code /actuator/prometheus}). */
  public static PrometheusServer scraping(Path dir, List<String> targets, String metricsPath) {
    return new PrometheusServer(dir, targets, null, metricsPath).start();
  }

  /**
   * A Prometheus that scrapes nothing and holds a past written in OpenMetrics text (samples with
   * Unix-second timestamps, ending {@code # EOF}), turned into blocks by {@code promtool tsdb
   * create-blocks-from openmetrics} before it starts: data from hours ago, for backtests.
   */
  public static PrometheusServer withHistory(Path dir, String openMetrics) {
    try {
      Files.createDirectories(dir.resolve("data"));
      Path input = dir.resolve("history.om");
      Files.writeString(input, openMetrics);
      ManagedProcess promtool =
          new ManagedProcess(
                  "promtool",
                  List.of(
                      ManagedProcess.binary("promtool", "promtool"),
                      "tsdb",
                      "create-blocks-from",
                      "openmetrics",
                      input.toString(),
                      dir.resolve("data").toString()),
                  dir.resolve("promtool.log"))
              .start();
      int exit = promtool.waitFor(Duration.ofMinutes(2));
      if (exit != 0) {
        throw new IllegalStateException(
            "promtool could not write the history (exit " + exit + "): " + promtool.output());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new PrometheusServer(dir, List.of(), null, "/metrics").start();
  }

  /** As {@link #start}, with a Prometheus web config (basic auth users, say). */
  public static PrometheusServer startWithWebConfig(
      Path dir, List<String> targets, String webConfig) {
    return new PrometheusServer(dir, targets, webConfig, "/metrics").start();
  }

  private PrometheusServer start() {
    try {
      Files.createDirectories(dir);
      StringBuilder config =
          new StringBuilder(
              "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n"
                  + "  - job_name: targets\n    metrics_path: "
                  + metricsPath
                  + "\n    static_configs:\n      - targets: [");
      config.append(String.join(", ", targets.stream().map(t -> "'" + t + "'").toList()));
      config.append("]\n");
      Path configFile = dir.resolve("prometheus.yml");
      Files.writeString(configFile, config.toString());
      List<String> command = new ArrayList<>();
      command.add(ManagedProcess.binary("prometheus", "prometheus"));
      command.add("--config.file=" + configFile);
      command.add("--storage.tsdb.path=" + dir.resolve("data"));
      command.add("--web.listen-address=127.0.0.1:" + port);
      command.add("--web.enable-lifecycle");
      if (webConfig != null) {
        Path web = dir.resolve("web.yml");
        Files.writeString(web, webConfig);
        command.add("--web.config.file=" + web);
      }
      process = new ManagedProcess("prometheus", command, dir.resolve("prometheus.log")).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await("Prometheus ready on port " + port)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              int status = HttpProbe.status(url() + "/-/ready");
              return status == 200 || (webConfig != null && status == 401);
            });
    return this;
  }

  /** Restarts on the same port and data directory (after {@link #stop()}). */
  public PrometheusServer restart() {
    stop();
    return start();
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public void stop() {
    if (process != null) {
      process.stop();
      process = null;
    }
  }

  public String output() {
    return process == null ? "" : process.output();
  }

  @Override
  public void close() {
    stop();
  }
}
