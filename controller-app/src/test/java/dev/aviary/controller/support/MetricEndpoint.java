package dev.aviary.controller.support;

import dev.aviary.testing.TextHttpServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real HTTP endpoint serving one number per path as {@code {"value": x}}, for plans with web
 * metrics: tests set what the canary's metric reads, or make it fail.
 */
public final class MetricEndpoint implements AutoCloseable {

  private final TextHttpServer server = new TextHttpServer();
  private final Map<String, String> bodies = new ConcurrentHashMap<>();
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();

  public MetricEndpoint() {
    server.answer("/", r -> TextHttpServer.Reply.ok("text/plain", ""));
  }

  /** The URL template a plan's query uses for metric {@code name}: one value per version. */
  public String urlTemplate(String name) {
    return server.url("/m/" + name + "/${version}");
  }

  /** Metric {@code name} of version {@code version} now reads {@code value} (null: no data). */
  public MetricEndpoint set(String name, String version, Double value) {
    String path = "/m/" + name + "/" + version;
    bodies.put(path, value == null ? "{\"value\": null}" : "{\"value\": " + value + "}");
    statuses.remove(path);
    server.answer(path, r -> reply(path));
    return this;
  }

  /** Metric {@code name} of {@code version} now answers HTTP {@code status}. */
  public MetricEndpoint fail(String name, String version, int status) {
    String path = "/m/" + name + "/" + version;
    statuses.put(path, status);
    server.answer(path, r -> reply(path));
    return this;
  }

  private TextHttpServer.Reply reply(String path) {
    Integer status = statuses.get(path);
    if (status != null) {
      return new TextHttpServer.Reply(status, "text/plain", "unavailable");
    }
    return TextHttpServer.Reply.ok("application/json", bodies.getOrDefault(path, "{}"));
  }

  public TextHttpServer server() {
    return server;
  }

  @Override
  public void close() {
    server.close();
  }
}
