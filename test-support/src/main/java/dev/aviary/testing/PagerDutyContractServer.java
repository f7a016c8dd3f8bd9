package dev.aviary.testing;

import dev.aviary.testing.TextHttpServer.Recorded;
import dev.aviary.testing.TextHttpServer.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for the PagerDuty Events API v2, which exists only as a service: a contract server
 * that follows its published reference (developer.pagerduty.com, "Events API v2 Overview", "Send an
 * Alert Event"): {@code POST /v2/enqueue} with a JSON event; {@code routing_key} must be an
 * integration's 32-character key; {@code event_action} is trigger, acknowledge or resolve; a
 * trigger has a {@code payload} with {@code summary} (at most 1,024 characters), {@code source} and
 * {@code severity} (critical, error, warning, info); {@code dedup_key} at most 255 characters;
 * acknowledge and resolve need a {@code dedup_key}. Answers {@code 202 {"status": "success",
 * "message": "Event processed", "dedup_key"}}; {@code 400 {"status": "invalid event", "message":
 * "Event object is invalid", "errors": [...]}}; {@code 429} when rate limited. It keeps the alerts
 * it holds open by {@code dedup_key}, as PagerDuty would: a trigger opens one, a resolve closes it.
 */
public final class PagerDutyContractServer implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");

  private final TextHttpServer http = new TextHttpServer();
  private final String routingKey;
  private final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
  private final Map<String, JsonNode> open = new ConcurrentHashMap<>();
  private final List<String> resolved = new CopyOnWriteArrayList<>();
  private final AtomicInteger throttle = new AtomicInteger();

  /** A server for the integration whose key is {@code routingKey} (32 characters). */
  public PagerDutyContractServer(String routingKey) {
    if (routingKey.length() != 32) {
      throw new IllegalArgumentException("an integration key has 32 characters");
    }
    this.routingKey = routingKey;
    http.answer("/v2/enqueue", this::enqueue);
  }

  /** The Events API's URL, a plan's {@code url}. */
  public String url() {
    return "http://127.0.0.1:" + http.port() + "/v2/enqueue";
  }

  public void throttleNext(int n) {
    throttle.set(n);
  }

  public List<JsonNode> accepted() {
    return List.copyOf(accepted);
  }

  /** The alerts open now, by dedup key. */
  public Map<String, JsonNode> open() {
    return Map.copyOf(open);
  }

  /** The dedup keys of the alerts resolved, in order. */
  public List<String> resolved() {
    return List.copyOf(resolved);
  }

  private Reply enqueue(Recorded r) {
    if (!r.method().equals("POST")) {
      return new Reply(405, "text/plain", "");
    }
    if (throttle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return Reply.json(
          429,
          "{\"status\":\"throttle event\",\"message\":\"Requests for this service are arriving too quickly.\"}");
    }
    JsonNode e;
    try {
      e = JSON.readTree(r.body());
    } catch (JacksonException ex) {
      return invalid(List.of("Event object is not valid JSON"));
    }
    List<String> errors = new ArrayList<>();
    String key = e.path("routing_key").asString("");
    if (key.length() != 32) {
      errors.add("'routing_key' must be 32 characters");
    } else if (!key.equals(routingKey)) {
      errors.add("Invalid routing key");
    }
    String action = e.path("event_action").asString("");
    if (!Set.of("trigger", "acknowledge", "resolve").contains(action)) {
      errors.add("'event_action' is invalid (must be one of: trigger, acknowledge, resolve)");
    }
    String dedup = e.path("dedup_key").asString("");
    if (dedup.length() > 255) {
      errors.add("'dedup_key' must be at most 255 characters");
    }
    if (action.equals("trigger")) {
      JsonNode p = e.path("payload");
      String summary = p.path("summary").asString("");
      if (summary.isEmpty() || summary.length() > 1024) {
        errors.add("'payload.summary' is missing or longer than 1024 characters");
      }
      if (p.path("source").asString("").isEmpty()) {
        errors.add("'payload.source' is missing");
      }
      if (!SEVERITIES.contains(p.path("severity").asString(""))) {
        errors.add(
            "'payload.severity' is invalid (must be one of: critical, error, warning, info)");
      }
    } else if (dedup.isEmpty() && !action.isEmpty()) {
      errors.add("'dedup_key' is required for " + action);
    }
    if (!errors.isEmpty()) {
      return invalid(errors);
    }
    if (dedup.isEmpty()) {
      dedup = java.util.UUID.randomUUID().toString().replace("-", "");
    }
    accepted.add(e);
    if (action.equals("trigger")) {
      open.put(dedup, e);
    } else if (action.equals("resolve") && open.remove(dedup) != null) {
      resolved.add(dedup);
    }
    return Reply.json(
        202,
        "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\""
            + Json.escape(dedup)
            + "\"}");
  }

  private static Reply invalid(List<String> errors) {
    StringBuilder list = new StringBuilder();
    for (String e : errors) {
      list.append(list.length() == 0 ? "" : ",").append('"').append(Json.escape(e)).append('"');
    }
    return Reply.json(
        400,
        "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\",\"errors\":["
            + list
            + "]}");
  }

  @Override
  public void close() {
    http.close();
  }
}
