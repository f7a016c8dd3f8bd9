package dev.aviary.testing;

import dev.aviary.testing.TextHttpServer.Recorded;
import dev.aviary.testing.TextHttpServer.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for Datadog's metrics query API, which exists only as a service: a contract server
 * that follows the published API document for {@code GET /api/v1/query} (docs.datadoghq.com, "Query
 * timeseries points"): {@code from}/{@code to} in Unix seconds and {@code query} as query
 * parameters; the keys in the {@code DD-API-KEY} and {@code DD-APPLICATION-KEY} headers (403 {@code
 * {"errors": ["Forbidden"]}} otherwise); an answer {@code {"status": "ok", "res_type":
 * "time_series", "series": [{"metric", "scope", "tag_set", "pointlist": [[ms, value], ...], ...}],
 * "from_date", "to_date", "query"}}; a query it cannot parse is a 400 {@code {"errors": ["Error
 * parsing query: ..."]}}; over the rate limit a 429 with the {@code X-RateLimit-Limit, -Period,
 * -Remaining, -Reset, -Name} headers the API documents.
 *
 * <p>It evaluates the query subset plans use: {@code agg:metric{tag:value,...}} with {@code agg}
 * one of avg, sum, min, max, an optional {@code by {tag}}, and {@code .as_count()} / {@code
 * .as_rate()} (points are stored as submitted, per second). Points submitted through {@link
 * #submit} play the part of the Datadog agent's.
 */
public final class DatadogContractServer implements AutoCloseable {

  private static final Pattern QUERY =
      Pattern.compile(
          "(avg|sum|min|max):([A-Za-z][A-Za-z0-9_.]*)\\{([^{}]*)\\}(?:\\s+by\\s+\\{([A-Za-z0-9_.,]+)\\})?"
              + "(\\.as_count\\(\\)|\\.as_rate\\(\\))?");

  private record Point(String metric, Map<String, String> tags, long second, double value) {}

  private final TextHttpServer http = new TextHttpServer();
  private final List<Point> points = new CopyOnWriteArrayList<>();
  private final String apiKey;
  private final String applicationKey;
  private final AtomicInteger rateLimited = new AtomicInteger();

  public DatadogContractServer(String apiKey, String applicationKey) {
    this.apiKey = apiKey;
    this.applicationKey = applicationKey;
    http.answer("/api/v1/query", this::query);
  }

  /** The API's base URL, what a plan's {@code address} names. */
  public String url() {
    return "http://127.0.0.1:" + http.port();
  }

  /** Stores a point as the agent would submit it. */
  public void submit(String metric, Map<String, String> tags, long epochSecond, double value) {
    points.add(new Point(metric, Map.copyOf(tags), epochSecond, value));
  }

  /** The next {@code n} queries are over the rate limit. */
  public void rateLimitNext(int n) {
    rateLimited.set(n);
  }

  public List<Recorded> requests() {
    return http.requests();
  }

  private Reply query(Recorded r) {
    if (!apiKey.equals(r.header("DD-API-KEY"))
        || !applicationKey.equals(r.header("DD-APPLICATION-KEY"))) {
      return Reply.json(403, "{\"errors\":[\"Forbidden\"]}");
    }
    if (rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return Reply.json(
              429,
              "{\"errors\":[\"Rate limit of 1600 requests in 3600 seconds reached. Please try"
                  + " again later.\"]}")
          .withHeader("X-RateLimit-Limit", "1600")
          .withHeader("X-RateLimit-Period", "3600")
          .withHeader("X-RateLimit-Remaining", "0")
          .withHeader("X-RateLimit-Reset", "7")
          .withHeader("X-RateLimit-Name", "query");
    }
    String q = TextHttpServer.param(r.query(), "query");
    String from = TextHttpServer.param(r.query(), "from");
    String to = TextHttpServer.param(r.query(), "to");
    if (q == null || from == null || to == null) {
      return Reply.json(400, "{\"errors\":[\"The parameters from, to and query are required\"]}");
    }
    long fromS;
    long toS;
    try {
      fromS = Long.parseLong(from);
      toS = Long.parseLong(to);
    } catch (NumberFormatException e) {
      return Reply.json(400, "{\"errors\":[\"from and to must be Unix seconds\"]}");
    }
    Matcher m = QUERY.matcher(q.strip());
    if (!m.matches()) {
      return Reply.json(
          400, "{\"errors\":[\"Error parsing query: unable to parse " + Json.escape(q) + "\"]}");
    }
    String agg = m.group(1);
    String metric = m.group(2);
    Map<String, String> filter = new TreeMap<>();
    String scope = m.group(3).strip();
    if (!scope.equals("*")) {
      for (String tag : scope.split(",", -1)) {
        int colon = tag.indexOf(':');
        if (colon <= 0) {
          return Reply.json(
              400, "{\"errors\":[\"Error parsing query: bad tag " + Json.escape(tag) + "\"]}");
        }
        filter.put(tag.substring(0, colon).strip(), tag.substring(colon + 1).strip());
      }
    }
    List<String> by = m.group(4) == null ? List.of() : List.of(m.group(4).split(",", -1));
    // group -> second -> values
    Map<Map<String, String>, TreeMap<Long, List<Double>>> groups = new java.util.LinkedHashMap<>();
    for (Point p : points) {
      if (!p.metric().equals(metric) || p.second() < fromS || p.second() > toS) {
        continue;
      }
      if (!filter.entrySet().stream()
          .allMatch(e -> e.getValue().equals(p.tags().get(e.getKey())))) {
        continue;
      }
      Map<String, String> group = new TreeMap<>(filter);
      for (String b : by) {
        group.put(b, p.tags().getOrDefault(b, "N/A"));
      }
      groups
          .computeIfAbsent(group, g -> new TreeMap<>())
          .computeIfAbsent(p.second(), s -> new ArrayList<>())
          .add(p.value());
    }
    List<String> series = new ArrayList<>();
    for (Map.Entry<Map<String, String>, TreeMap<Long, List<Double>>> g : groups.entrySet()) {
      List<String> pointlist = new ArrayList<>();
      for (Map.Entry<Long, List<Double>> e : g.getValue().entrySet()) {
        double v = aggregate(agg, e.getValue());
        pointlist.add("[" + e.getKey() * 1000 + ".0," + v + "]");
      }
      List<String> tagSet = new ArrayList<>();
      g.getKey().forEach((k, v) -> tagSet.add("\"" + Json.escape(k + ":" + v) + "\""));
      String scopeText = g.getKey().isEmpty() ? "*" : String.join(",", tagSet).replace("\"", "");
      series.add(
          "{\"metric\":\""
              + metric
              + "\",\"display_name\":\""
              + metric
              + "\",\"aggr\":\""
              + agg
              + "\",\"scope\":\""
              + Json.escape(scopeText)
              + "\",\"tag_set\":["
              + String.join(",", tagSet)
              + "],\"expression\":\""
              + Json.escape(q)
              + "\",\"interval\":1,\"length\":"
              + pointlist.size()
              + ",\"unit\":null,\"pointlist\":["
              + String.join(",", pointlist)
              + "]}");
    }
    return Reply.json(
        200,
        "{\"status\":\"ok\",\"res_type\":\"time_series\",\"resp_version\":1,\"query\":\""
            + Json.escape(q)
            + "\",\"from_date\":"
            + fromS * 1000
            + ",\"to_date\":"
            + toS * 1000
            + ",\"message\":\"\",\"group_by\":["
            + String.join(",", by.stream().map(b -> "\"" + Json.escape(b) + "\"").toList())
            + "],\"series\":["
            + String.join(",", series)
            + "]}");
  }

  private static double aggregate(String agg, List<Double> values) {
    return switch (agg.toLowerCase(Locale.ROOT)) {
      case "sum" -> values.stream().mapToDouble(Double::doubleValue).sum();
      case "min" -> values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
      case "max" -> values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
      default -> values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    };
  }

  @Override
  public void close() {
    http.close();
  }
}
