package dev.aviary.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A real InfluxDB 1.x ({@code influxd} of the Debian package {@code influxdb}) on free loopback
 * ports, its data in a directory of the test's, with authentication on and one admin user. Points
 * are written in the line protocol ({@code /write}, second precision); Aviary reads them through
 * {@code /query} in InfluxQL.
 */
public final class InfluxDbServer implements AutoCloseable {

  private final int port = FreePorts.next();
  private final ManagedProcess process;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String user;
  private final String password;

  private InfluxDbServer(Path dir, String user, String password) {
    this.user = user;
    this.password = password;
    try {
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("influxdb.conf"),
          String.join(
              "\n",
              "reporting-disabled = true",
              "bind-address = \"127.0.0.1:" + FreePorts.next() + "\"",
              "[meta]",
              "  dir = \"" + dir.resolve("meta") + "\"",
              "[data]",
              "  dir = \"" + dir.resolve("data") + "\"",
              "  wal-dir = \"" + dir.resolve("wal") + "\"",
              "  query-log-enabled = false",
              "[http]",
              "  bind-address = \"127.0.0.1:" + port + "\"",
              "  auth-enabled = true",
              "  log-enabled = false",
              "[monitor]",
              "  store-enabled = false",
              ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    process =
        new ManagedProcess(
                "influxd",
                List.of(
                    ManagedProcess.binary("influxd", "influxdb"),
                    "-config",
                    dir.resolve("influxdb.conf").toString()),
                dir.resolve("influxd.log"))
            .start();
    await("InfluxDB ready on port " + port)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> HttpProbe.status(url() + "/ping") == 204);
    // with no user yet, InfluxDB lets the first admin be created without credentials
    post(
        "/query",
        "q="
            + enc(
                "CREATE USER \""
                    + user
                    + "\" WITH PASSWORD '"
                    + password
                    + "' WITH ALL PRIVILEGES"),
        false);
  }

  /** Starts InfluxDB with an admin {@code user} of {@code password}. */
  public static InfluxDbServer start(Path dir, String user, String password) {
    return new InfluxDbServer(dir, user, password);
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Creates {@code database}. */
  public void createDatabase(String database) {
    post("/query", "q=" + enc("CREATE DATABASE \"" + database + "\""), true);
  }

  /** Writes points in the line protocol with timestamps in Unix seconds. */
  public void write(String database, String lines) {
    post("/write?db=" + enc(database) + "&precision=s", lines, true);
  }

  private void post(String path, String body, boolean auth) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    try {
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2 || r.body().contains("\"error\"")) {
        throw new IllegalStateException("InfluxDB refused " + path + ": " + r.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    process.stop();
  }
}
