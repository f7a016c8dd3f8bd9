package dev.aviary.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real HAProxy (the Debian package) on free loopback ports, balancing backend {@code app}
 * round-robin over the given stable and canary servers, with its runtime API on a TCP stats socket
 * at admin level, configured for Aviary's header routes (a route map read by {@code use-server}
 * rules) and sticky sessions (HAProxy's own cookie) as docs/routers.md says. The configuration
 * gives all weight to stable, as a fresh or reloaded HAProxy has.
 */
public final class HaproxyServer implements AutoCloseable {

  private final Path dir;
  private final int port = FreePorts.next();
  private final int apiPort = FreePorts.next();
  private final int metricsPort = FreePorts.next();
  private final boolean unixSocket;
  private ManagedProcess process;

  private HaproxyServer(
      Path dir, List<Integer> stablePorts, List<Integer> canaryPorts, boolean unixSocket) {
    this.dir = dir;
    this.unixSocket = unixSocket;
    String api = unixSocket ? dir.resolve("admin.sock").toString() : "ipv4@127.0.0.1:" + apiPort;
    StringBuilder cfg =
        new StringBuilder(
            "global\n"
                + "  stats socket "
                + api
                + " level admin\n"
                + "  stats timeout 30s\n"
                + "defaults\n"
                + "  mode http\n"
                + "  option http-server-close\n"
                + "  timeout connect 2s\n"
                + "  timeout client 10s\n"
                + "  timeout server 10s\n"
                + "frontend metrics\n"
                + "  bind 127.0.0.1:"
                + metricsPort
                + "\n"
                + "  http-request use-service prometheus-exporter if { path /metrics }\n"
                + "frontend fe\n"
                + "  bind 127.0.0.1:"
                + port
                + "\n"
                + "  default_backend app\n"
                + "backend app\n"
                + "  balance roundrobin\n"
                // sticky sessions: HAProxy's own cookie, one value per server
                + "  cookie AVIARY insert indirect nocache\n"
                // header and cookie routes: Aviary writes the map's entries at runtime
                + "  acl aviary_canary req.hdrs,map_reg("
                + routeMap()
                + ") -m str canary\n"
                + "  acl aviary_stable req.hdrs,map_reg("
                + routeMap()
                + ") -m str stable\n");
    for (int i = 0; i < canaryPorts.size(); i++) {
      cfg.append("  use-server canary").append(i + 1).append(" if aviary_canary\n");
    }
    for (int i = 0; i < stablePorts.size(); i++) {
      cfg.append("  use-server stable").append(i + 1).append(" if aviary_stable\n");
    }
    for (int i = 0; i < stablePorts.size(); i++) {
      cfg.append("  server stable")
          .append(i + 1)
          .append(" 127.0.0.1:")
          .append(stablePorts.get(i))
          .append(" weight 256 cookie s")
          .append(i + 1)
          .append("\n");
    }
    for (int i = 0; i < canaryPorts.size(); i++) {
      cfg.append("  server canary")
          .append(i + 1)
          .append(" 127.0.0.1:")
          .append(canaryPorts.get(i))
          .append(" weight 0 cookie c")
          .append(i + 1)
          .append("\n");
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("haproxy.cfg"), cfg.toString());
      Files.writeString(routeMap(), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static HaproxyServer start(
      Path dir, List<Integer> stablePorts, List<Integer> canaryPorts) {
    return new HaproxyServer(dir, stablePorts, canaryPorts, false).start();
  }

  /** As {@link #start}, with the runtime API on a unix socket in {@code dir} instead of TCP. */
  public static HaproxyServer startWithUnixSocket(
      Path dir, List<Integer> stablePorts, List<Integer> canaryPorts) {
    return new HaproxyServer(dir, stablePorts, canaryPorts, true).start();
  }

  private HaproxyServer start() {
    String binary = ManagedProcess.binary("haproxy", "haproxy");
    process =
        new ManagedProcess(
                "haproxy",
                List.of(binary, "-db", "-f", dir.resolve("haproxy.cfg").toString()),
                dir.resolve("haproxy.log"))
            .start();
    await("HAProxy listening on " + port)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("HAProxy exited: " + process.output());
              }
              return listening(port)
                  && (unixSocket ? Files.exists(dir.resolve("admin.sock")) : listening(apiPort));
            });
    return this;
  }

  /** Stops HAProxy and starts it again: runtime weights are lost, as on a reload. */
  public HaproxyServer restart() {
    process.stop();
    await().atMost(Duration.ofSeconds(10)).until(() -> !listening(port));
    return start();
  }

  private static boolean listening(int port) {
    try {
      new Socket(java.net.InetAddress.getLoopbackAddress(), port).close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The map file the backend's use-server rules read: the router's {@code routeMap}. */
  public Path routeMap() {
    return dir.resolve("aviary-app.map");
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Where HAProxy's own Prometheus exporter answers ({@code /metrics}): host:port. */
  public String metricsTarget() {
    return "127.0.0.1:" + metricsPort;
  }

  /** The runtime API's address as a router setting: {@code 127.0.0.1:<port>} or the socket path. */
  public String apiAddress() {
    return unixSocket ? dir.resolve("admin.sock").toString() : "127.0.0.1:" + apiPort;
  }

  @Override
  public void close() {
    if (process != null) {
      process.stop();
    }
  }
}
