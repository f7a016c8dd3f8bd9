package dev.aviary.e2e;

import static org.awaitility.Awaitility.await;

import dev.aviary.examples.LoadGenerator;
import dev.aviary.testing.FreePorts;
import dev.aviary.testing.HaproxyServer;
import dev.aviary.testing.HttpProbe;
import dev.aviary.testing.ManagedProcess;
import dev.aviary.testing.PrometheusServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One release's world: the sample service as v1 (stable) and v2 (canary) processes, a real HAProxy
 * in front of them, a real Prometheus scraping both and HAProxy's exporter every second, and a load
 * generator sending 50 requests a second through HAProxy throughout.
 */
final class Stack implements AutoCloseable {

  private final Path dir;
  private final int stablePort;
  ManagedProcess v1;
  final ManagedProcess v2;
  final HaproxyServer haproxy;
  final PrometheusServer prometheus;
  final LoadGenerator load;

  private Stack(
      Path dir,
      int stablePort,
      ManagedProcess v1,
      ManagedProcess v2,
      HaproxyServer haproxy,
      PrometheusServer prometheus,
      LoadGenerator load) {
    this.dir = dir;
    this.stablePort = stablePort;
    this.v1 = v1;
    this.v2 = v2;
    this.haproxy = haproxy;
    this.prometheus = prometheus;
    this.load = load;
  }

  /** Requests a second the load generator sends through HAProxy. */
  static final int RATE = 300;

  /**
   * v1 fails {@code v1ErrorRate} of its requests, v2 {@code v2ErrorRate}; v2's slowest 1 % take
   * {@code v2SlowTail} times as long (its median unchanged).
   */
  static Stack start(String name, String v1ErrorRate, String v2ErrorRate, String v2SlowTail)
      throws IOException {
    Path dir = Files.createTempDirectory("aviary-e2e-" + name);
    int p1 = FreePorts.next();
    int p2 = FreePorts.next();
    ManagedProcess v1 = service(dir, "v1", p1, v1ErrorRate, "1", 7);
    ManagedProcess v2 = service(dir, "v2", p2, v2ErrorRate, v2SlowTail, 8);
    for (int port : List.of(p1, p2)) {
      await("sample service on " + port)
          .atMost(Duration.ofSeconds(20))
          .until(() -> HttpProbe.status("http://127.0.0.1:" + port + "/healthz") == 200);
    }
    // Warm both JVMs, as a deployment's readiness checks would, so that the canary is not judged
    // cold against a warm stable.
    java.util.concurrent.ExecutorService warmers =
        java.util.concurrent.Executors.newFixedThreadPool(20);
    try {
      List<java.util.concurrent.Future<Integer>> warm = new ArrayList<>();
      for (int port : List.of(p1, p2)) {
        for (int i = 0; i < 300; i++) {
          warm.add(warmers.submit(() -> HttpProbe.status("http://127.0.0.1:" + port + "/")));
        }
      }
      for (java.util.concurrent.Future<Integer> f : warm) {
        f.get();
      }
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("warming the services failed", e);
    } finally {
      warmers.shutdown();
    }
    HaproxyServer haproxy = HaproxyServer.start(dir.resolve("haproxy"), List.of(p1), List.of(p2));
    PrometheusServer prometheus =
        PrometheusServer.start(
            dir.resolve("prometheus"),
            List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2, haproxy.metricsTarget()));
    LoadGenerator load = new LoadGenerator(haproxy.url(), RATE);
    Stack stack = new Stack(dir, p1, v1, v2, haproxy, prometheus, load);
    await("Prometheus has scraped both versions and HAProxy")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              String body =
                  HttpProbe.get(prometheus.url() + "/api/v1/query?query=count(up%3D%3D1)").body();
              return body.contains("\"3\"");
            });
    return stack;
  }

  /**
   * Deploys {@code version} (healthy) on the server HAProxy names {@code stable1}, in place of what
   * ran there, as a pipeline deploys a release to the slot Aviary named; the server should receive
   * no traffic meanwhile.
   */
  void deployOnStable(String version) {
    v1.close();
    v1 = service(dir, version, stablePort, "0", "1", 9);
    await("sample service " + version + " on " + stablePort)
        .atMost(Duration.ofSeconds(60))
        .until(() -> HttpProbe.status("http://127.0.0.1:" + stablePort + "/healthz") == 200);
  }

  private static ManagedProcess service(
      Path dir, String version, int port, String errorRate, String slowTail, long seed) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx64m");
    command.add("-jar");
    command.add(sampleServiceJar().toString());
    command.addAll(
        List.of(
            "--port",
            String.valueOf(port),
            "--version",
            version,
            "--error-rate",
            errorRate,
            "--latency",
            "20ms",
            "--slow-tail",
            slowTail,
            "--seed",
            String.valueOf(seed)));
    return new ManagedProcess(
            "sample-" + version, command, dir.resolve("sample-" + version + ".log"))
        .start();
  }

  static Path sampleServiceJar() {
    Path jar =
        Path.of("..", "examples", "sample-service", "target", "sample-service.jar")
            .toAbsolutePath()
            .normalize();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: package examples/sample-service first");
    }
    return jar;
  }

  @Override
  public void close() {
    load.close();
    prometheus.close();
    haproxy.close();
    v1.close();
    v2.close();
  }
}
