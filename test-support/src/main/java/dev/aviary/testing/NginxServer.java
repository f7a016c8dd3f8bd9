package dev.aviary.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A real nginx (Debian's nginx-light) on a free loopback port, in the foreground, configured as
 * docs/routers.md says: the location proxies to {@code $aviary_app} and sets {@code
 * $aviary_app_cookie}, and the server block includes the mirror file. The include file starts with
 * all traffic on the stable servers; Aviary's nginx router rewrites both files.
 */
public final class NginxServer implements AutoCloseable {

  private final Path dir;
  private final int port = FreePorts.next();
  private ManagedProcess process;

  private NginxServer(Path dir, List<Integer> stablePorts) {
    this.dir = dir;
    try {
      Files.createDirectories(dir.resolve("tmp"));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      Files.setPosixFilePermissions(
          dir.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
      StringBuilder upstream = new StringBuilder("upstream app {\n");
      for (int p : stablePorts) {
        upstream.append("    server 127.0.0.1:").append(p).append(";\n");
      }
      upstream.append("}\n");
      // what Aviary's file defines besides the upstream, for the server block below to read
      upstream.append("map $uri $aviary_app {\n    default app;\n}\n");
      upstream.append("map $uri $aviary_app_cookie {\n    default \"\";\n}\n");
      upstream.append("split_clients \"${request_id}\" $aviary_app_mirror {\n    * \"\";\n}\n");
      Files.writeString(includeFile(), upstream.toString());
      Files.writeString(mirrorInclude(), "# no mirroring\n");
      String t = dir.resolve("tmp").toString();
      String conf =
          "daemon off;\n"
              + "worker_processes 1;\n"
              + "pid "
              + pidFile()
              + ";\n"
              + "error_log "
              + dir.resolve("error.log")
              + " notice;\n"
              + "events { worker_connections 256; }\n"
              + "http {\n"
              + "  access_log off;\n"
              + "  client_body_temp_path "
              + t
              + "/body;\n"
              + "  proxy_temp_path "
              + t
              + "/proxy;\n"
              + "  fastcgi_temp_path "
              + t
              + "/fastcgi;\n"
              + "  uwsgi_temp_path "
              + t
              + "/uwsgi;\n"
              + "  scgi_temp_path "
              + t
              + "/scgi;\n"
              + "  include "
              + includeFile()
              + ";\n"
              + "  server {\n"
              + "    listen 127.0.0.1:"
              + port
              + ";\n"
              + "    include "
              + mirrorInclude()
              + ";\n"
              + "    location / {\n"
              + "      proxy_pass http://$aviary_app;\n"
              + "      add_header Set-Cookie $aviary_app_cookie;\n"
              + "    }\n"
              + "  }\n"
              + "}\n";
      Files.writeString(mainConfig(), conf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static NginxServer start(Path dir, List<Integer> stablePorts) {
    NginxServer server = new NginxServer(dir, stablePorts);
    String binary = ManagedProcess.binary("nginx", "nginx-light");
    server.process =
        new ManagedProcess(
                "nginx",
                List.of(binary, "-c", server.mainConfig().toString(), "-p", dir.toString()),
                dir.resolve("nginx.out"))
            .start();
    await("nginx listening on " + server.port)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!server.process.isAlive()) {
                throw new IllegalStateException(
                    "nginx exited: " + server.process.output() + server.errors());
              }
              return listening(server.port) && Files.exists(server.pidFile());
            });
    return server;
  }

  private static boolean listening(int port) {
    try {
      new Socket(java.net.InetAddress.getLoopbackAddress(), port).close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public Path includeFile() {
    return dir.resolve("upstream.conf");
  }

  /** The file included in the server block, for mirroring. */
  public Path mirrorInclude() {
    return dir.resolve("mirror.conf");
  }

  public Path mainConfig() {
    return dir.resolve("nginx.conf");
  }

  public Path pidFile() {
    return dir.resolve("nginx.pid");
  }

  /** The worker processes now serving. */
  public Set<Long> workers() {
    try {
      long master = Long.parseLong(Files.readString(pidFile()).strip());
      return ProcessHandle.of(master)
          .map(p -> p.children().map(ProcessHandle::pid).collect(Collectors.toSet()))
          .orElse(Set.of());
    } catch (IOException e) {
      return Set.of();
    }
  }

  /**
   * Waits until none of {@code before} is still a worker: after a reload, only workers with the new
   * configuration take requests.
   */
  public void awaitNewWorkers(Set<Long> before) {
    await("nginx workers replaced after reload")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              Set<Long> now = workers();
              return !now.isEmpty() && now.stream().noneMatch(before::contains);
            });
  }

  public String errors() {
    try {
      Path log = dir.resolve("error.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    if (process != null) {
      process.stop();
    }
  }
}
