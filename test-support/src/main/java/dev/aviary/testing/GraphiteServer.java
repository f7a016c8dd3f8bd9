package dev.aviary.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Graphite: {@code carbon-cache} (Debian {@code graphite-carbon}) storing whisper files at
 * one-second resolution, and {@code graphite-web} (Debian {@code graphite-web}) answering the
 * render API, served by Python's own WSGI server (Debian runs it under Apache, which a test need
 * not). Everything lives in a directory of the test's; points go in through carbon's plaintext
 * protocol and are visible to the render API at once (graphite-web asks carbon's cache).
 */
public final class GraphiteServer implements AutoCloseable {

  private static final String PYTHON = "/usr/bin/python3";

  private final int linePort = FreePorts.next();
  private final int queryPort = FreePorts.next();
  private final int webPort = FreePorts.next();
  private final ManagedProcess carbon;
  private final ManagedProcess web;

  private GraphiteServer(Path dir) {
    ManagedProcess.binary("carbon-cache", "graphite-carbon");
    ManagedProcess.binary("django-admin", "graphite-web");
    Path conf = dir.resolve("conf");
    Path py = dir.resolve("py");
    try {
      Files.createDirectories(conf);
      Files.createDirectories(py);
      Files.createDirectories(dir.resolve("whisper"));
      Files.createDirectories(dir.resolve("log"));
      Files.writeString(
          conf.resolve("carbon.conf"),
          String.join(
              "\n",
              "[cache]",
              "STORAGE_DIR = " + dir + "/",
              "LOCAL_DATA_DIR = " + dir.resolve("whisper") + "/",
              "WHITELISTS_DIR = " + dir.resolve("lists") + "/",
              "CONF_DIR = " + conf + "/",
              "LOG_DIR = " + dir.resolve("log") + "/",
              "PID_DIR = " + dir + "/",
              "ENABLE_LOGROTATION = False",
              "USER =",
              "MAX_CACHE_SIZE = inf",
              "MAX_UPDATES_PER_SECOND = 10000",
              "MAX_CREATES_PER_MINUTE = inf",
              "LINE_RECEIVER_INTERFACE = 127.0.0.1",
              "LINE_RECEIVER_PORT = " + linePort,
              "ENABLE_UDP_LISTENER = False",
              "PICKLE_RECEIVER_INTERFACE = 127.0.0.1",
              "PICKLE_RECEIVER_PORT = " + FreePorts.next(),
              "CACHE_QUERY_INTERFACE = 127.0.0.1",
              "CACHE_QUERY_PORT = " + queryPort,
              ""));
      Files.writeString(
          conf.resolve("storage-schemas.conf"), "[all]\npattern = .*\nretentions = 1s:2h\n");
      Files.writeString(
          conf.resolve("storage-aggregation.conf"),
          "[default]\npattern = .*\nxFilesFactor = 0\naggregationMethod = sum\n");
      Files.writeString(
          py.resolve("aviary_graphite_settings.py"),
          String.join(
              "\n",
              "from graphite.settings import *  # noqa",
              "SECRET_KEY = 'aviary-test-only'",
              "STORAGE_DIR = '" + dir + "/'",
              "WHISPER_DIR = '" + dir.resolve("whisper") + "/'",
              "STANDARD_DIRS = [WHISPER_DIR]",
              "LOG_DIR = '" + dir.resolve("log") + "/'",
              "INDEX_FILE = '" + dir.resolve("index") + "'",
              "CARBONLINK_HOSTS = ['127.0.0.1:" + queryPort + "']",
              "DATABASES = {'default': {'NAME': '"
                  + dir.resolve("graphite.db")
                  + "', 'ENGINE': 'django.db.backends.sqlite3'}}",
              "ALLOWED_HOSTS = ['*']",
              ""));
      Files.writeString(
          py.resolve("serve.py"),
          """
          import sys
          from socketserver import ThreadingMixIn
          from wsgiref.simple_server import WSGIServer, make_server
          from graphite.wsgi import application
          class Server(ThreadingMixIn, WSGIServer):
              daemon_threads = True
          make_server('127.0.0.1', int(sys.argv[1]), application, server_class=Server).serve_forever()
          """);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> env =
        Map.of("PYTHONPATH", py.toString(), "DJANGO_SETTINGS_MODULE", "aviary_graphite_settings");
    ManagedProcess migrate =
        new ManagedProcess(
            "graphite-web migrate",
            List.of(PYTHON, "-m", "django", "migrate", "--noinput"),
            dir.resolve("migrate.log"),
            env);
    int exit = migrate.start().waitFor(Duration.ofMinutes(2));
    if (exit != 0) {
      throw new IllegalStateException(
          "graphite-web's database could not be created (exit "
              + exit
              + "); see "
              + dir.resolve("migrate.log"));
    }
    carbon =
        new ManagedProcess(
                "carbon-cache",
                List.of(
                    ManagedProcess.binary("carbon-cache", "graphite-carbon"),
                    "--config=" + conf.resolve("carbon.conf"),
                    "--nodaemon",
                    "start"),
                dir.resolve("carbon.log"))
            .start();
    web =
        new ManagedProcess(
                "graphite-web",
                List.of(PYTHON, py.resolve("serve.py").toString(), String.valueOf(webPort)),
                dir.resolve("web.log"),
                env)
            .start();
    await("Graphite ready on port " + webPort)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                HttpProbe.status(url() + "/render?target=none&format=json") == 200
                    && portOpen(linePort));
  }

  public static GraphiteServer start(Path dir) {
    return new GraphiteServer(dir);
  }

  /** graphite-web's base URL. */
  public String url() {
    return "http://127.0.0.1:" + webPort;
  }

  /** Sends {@code lines} of the plaintext protocol, {@code path value epochSeconds} each. */
  public void write(String lines) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), linePort);
        OutputStream out = s.getOutputStream()) {
      out.write(lines.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean portOpen(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return s.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    web.stop();
    carbon.stop();
  }
}
