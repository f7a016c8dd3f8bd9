package dev.aviary.testing;

import dev.aviary.testing.TextHttpServer.Recorded;
import dev.aviary.testing.TextHttpServer.Reply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for New Relic's NerdGraph API, which exists only as a service: a contract server that
 * follows the published documents for NRQL through NerdGraph (docs.newrelic.com, "NerdGraph
 * tutorial: NRQL"): {@code POST /graphql} with the user key in the {@code API-Key} header and a
 * GraphQL body whose query reads {@code actor { account(id) { nrql(query) { results } } }}; results
 * are rows of JSON objects ({@code {"count": 12}}, {@code {"latest.duration": 0.2}}, with {@code
 * beginTimeSeconds}/{@code endTimeSeconds} per bucket for TIMESERIES and {@code facet} for FACET);
 * an NRQL error is an HTTP 200 with {@code {"errors": [{"message", "extensions":
 * {"errorClass"}}]}}; a wrong key a 401, over the rate limit a 429 with {@code Retry-After}.
 *
 * <p>It evaluates the NRQL subset plans use: {@code SELECT count(*)|sum(a)|average(a)|latest(a) [AS
 * 'name'] FROM Type [WHERE a = 'v' [AND ...]] [FACET a] [TIMESERIES n seconds] SINCE ms UNTIL ms},
 * with NRQL's backslash escapes in strings honoured.
 */
public final class NewRelicContractServer implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private record Event(String type, Map<String, Object> attributes, long timestampMillis) {}

  private final TextHttpServer http = new TextHttpServer();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final long accountId;
  private final String userKey;
  private final AtomicInteger rateLimited = new AtomicInteger();

  public NewRelicContractServer(long accountId, String userKey) {
    this.accountId = accountId;
    this.userKey = userKey;
    http.answer("/graphql", this::graphql);
  }

  public String url() {
    return "http://127.0.0.1:" + http.port();
  }

  /** Records an event as an agent would report it. */
  public void report(String type, Map<String, Object> attributes, long timestampMillis) {
    events.add(new Event(type, Map.copyOf(attributes), timestampMillis));
  }

  public void rateLimitNext(int n) {
    rateLimited.set(n);
  }

  public List<Recorded> requests() {
    return http.requests();
  }

  private static Reply errors(int status, String message, String errorClass) {
    return Reply.json(
        status,
        "{\"errors\":[{\"message\":\""
            + Json.escape(message)
            + "\",\"extensions\":{\"errorClass\":\""
            + errorClass
            + "\"}}],\"data\":{\"actor\":{\"account\":{\"nrql\":null}}}}");
  }

  private Reply graphql(Recorded r) {
    if (!"POST".equals(r.method())) {
      return errors(405, "NerdGraph takes POST", "BAD_REQUEST");
    }
    if (!userKey.equals(r.header("API-Key"))) {
      return errors(401, "Unauthorized: invalid or missing API key", "UNAUTHORIZED");
    }
    if (rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return errors(
              429,
              "Too many requests: the account's NRQL rate limit was reached",
              "TOO_MANY_REQUESTS")
          .withHeader("Retry-After", "3");
    }
    JsonNode body;
    try {
      body = JSON.readTree(r.body());
    } catch (RuntimeException e) {
      return errors(400, "the body is not JSON", "BAD_REQUEST");
    }
    String graphQl = body.path("query").asString("");
    if (!graphQl
        .replaceAll("\\s+", " ")
        .matches(
            ".*actor \\{ account\\(id: \\$\\w+\\) \\{ nrql\\(query: \\$\\w+.*\\{ results \\} \\} \\} \\}.*")) {
      return errors(
          200,
          "the contract server answers actor.account(id).nrql(query).results only",
          "BAD_REQUEST");
    }
    JsonNode variables = body.path("variables");
    if (variables.path("accountId").asLong(-1) != accountId) {
      return errors(200, "Access denied to account " + variables.path("accountId"), "FORBIDDEN");
    }
    String nrql = variables.path("nrql").asString("");
    List<Map<String, Object>> rows;
    try {
      rows = Nrql.parse(nrql).run(events);
    } catch (IllegalArgumentException e) {
      return errors(200, "NRQL Syntax Error: " + e.getMessage(), "INVALID_INPUT");
    }
    return Reply.json(
        200,
        "{\"data\":{\"actor\":{\"account\":{\"nrql\":{\"results\":"
            + JSON.writeValueAsString(rows)
            + "}}}}}");
  }

  /** The parsed subset of an NRQL query. */
  private static final class Nrql {
    String function;
    String attribute;
    String key;
    String type;
    final Map<String, String> where = new LinkedHashMap<>();
    String facet;
    long bucketSeconds;
    long since = -1;
    long until = -1;

    static Nrql parse(String text) {
      List<String> t = tokens(text);
      Nrql q = new Nrql();
      int[] i = {0};
      expect(t, i, "SELECT");
      q.function = next(t, i).toLowerCase(Locale.ROOT);
      expect(t, i, "(");
      q.attribute = next(t, i);
      expect(t, i, ")");
      if (!List.of("count", "sum", "average", "latest").contains(q.function)) {
        throw new IllegalArgumentException("unknown function " + q.function);
      }
      q.key = q.function.equals("count") ? "count" : q.function + "." + q.attribute;
      if (peek(t, i).equalsIgnoreCase("AS")) {
        i[0]++;
        q.key = unquote(next(t, i));
      }
      expect(t, i, "FROM");
      q.type = next(t, i);
      while (i[0] < t.size()) {
        String clause = next(t, i).toUpperCase(Locale.ROOT);
        switch (clause) {
          case "WHERE", "AND" -> {
            String attribute = next(t, i);
            expect(t, i, "=");
            String value = next(t, i);
            if (!value.startsWith("'")) {
              throw new IllegalArgumentException("expected a string after " + attribute + " =");
            }
            q.where.put(attribute, unquote(value));
          }
          case "FACET" -> q.facet = next(t, i);
          case "TIMESERIES" -> {
            q.bucketSeconds = Long.parseLong(next(t, i));
            expect(t, i, "seconds");
          }
          case "SINCE" -> q.since = Long.parseLong(next(t, i));
          case "UNTIL" -> q.until = Long.parseLong(next(t, i));
          default -> throw new IllegalArgumentException("unexpected '" + clause + "'");
        }
      }
      if (q.since < 0 || q.until < 0) {
        throw new IllegalArgumentException("the contract server needs SINCE and UNTIL in ms");
      }
      return q;
    }

    List<Map<String, Object>> run(List<Event> events) {
      // facet -> bucket start -> values
      Map<String, TreeMap<Long, List<Double>>> groups = new TreeMap<>();
      for (Event e : events) {
        if (!e.type().equals(type) || e.timestampMillis() < since || e.timestampMillis() >= until) {
          continue;
        }
        boolean match = true;
        for (Map.Entry<String, String> w : where.entrySet()) {
          match &= w.getValue().equals(String.valueOf(e.attributes().get(w.getKey())));
        }
        if (!match) {
          continue;
        }
        String group = facet == null ? "" : String.valueOf(e.attributes().get(facet));
        long bucket =
            bucketSeconds == 0
                ? since
                : since
                    + (e.timestampMillis() - since) / (bucketSeconds * 1000) * bucketSeconds * 1000;
        Object v = attribute.equals("*") ? 1.0 : e.attributes().get(attribute);
        groups
            .computeIfAbsent(group, g -> new TreeMap<>())
            .computeIfAbsent(bucket, b -> new ArrayList<>())
            .add(v instanceof Number n ? n.doubleValue() : Double.NaN);
      }
      if (groups.isEmpty() && facet == null) {
        groups.put("", new TreeMap<>(Map.of(since, List.of())));
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Map.Entry<String, TreeMap<Long, List<Double>>> g : groups.entrySet()) {
        for (Map.Entry<Long, List<Double>> b : g.getValue().entrySet()) {
          Map<String, Object> row = new LinkedHashMap<>();
          if (bucketSeconds > 0) {
            row.put("beginTimeSeconds", b.getKey() / 1000);
            row.put("endTimeSeconds", b.getKey() / 1000 + bucketSeconds);
          }
          if (facet != null) {
            row.put("facet", g.getKey());
          }
          List<Double> vs = b.getValue();
          row.put(
              key,
              switch (function) {
                case "count" -> (Object) (long) vs.size();
                case "sum" ->
                    vs.isEmpty() ? null : vs.stream().mapToDouble(Double::doubleValue).sum();
                case "average" ->
                    vs.stream().mapToDouble(Double::doubleValue).average().stream()
                        .boxed()
                        .findFirst()
                        .orElse(null);
                default -> vs.isEmpty() ? null : vs.get(vs.size() - 1);
              });
          rows.add(row);
        }
      }
      return rows;
    }

    private static List<String> tokens(String text) {
      List<String> out = new ArrayList<>();
      int i = 0;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '\'') {
          StringBuilder s = new StringBuilder("'");
          i++;
          while (i < text.length() && text.charAt(i) != '\'') {
            if (text.charAt(i) == '\\' && i + 1 < text.length()) {
              i++;
            }
            s.append(text.charAt(i++));
          }
          if (i >= text.length()) {
            throw new IllegalArgumentException("unterminated string");
          }
          i++;
          out.add(s.toString());
        } else if ("()=,".indexOf(c) >= 0) {
          out.add(String.valueOf(c));
          i++;
        } else {
          int start = i;
          while (i < text.length()
              && !Character.isWhitespace(text.charAt(i))
              && "()=,'".indexOf(text.charAt(i)) < 0) {
            i++;
          }
          out.add(text.substring(start, i));
        }
      }
      return out;
    }

    private static String unquote(String token) {
      return token.startsWith("'") ? token.substring(1) : token;
    }

    private static String peek(List<String> t, int[] i) {
      return i[0] < t.size() ? t.get(i[0]) : "";
    }

    private static String next(List<String> t, int[] i) {
      if (i[0] >= t.size()) {
        throw new IllegalArgumentException("unexpected end of query");
      }
      return t.get(i[0]++);
    }

    private static void expect(List<String> t, int[] i, String word) {
      String got = next(t, i);
      if (!got.equalsIgnoreCase(word)) {
        throw new IllegalArgumentException("expected " + word + " but found '" + got + "'");
      }
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
