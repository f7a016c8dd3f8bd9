package dev.aviary.testing;

import dev.aviary.testing.TextHttpServer.Recorded;
import dev.aviary.testing.TextHttpServer.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * A stand-in for Grafana Loki's query API. Debian's {@code loki} package is an unrelated genetics
 * program and Grafana Loki is licensed under the AGPL, which this project keeps out of its build;
 * so this contract server follows Loki's published HTTP API document (grafana.com/docs/loki, "Loki
 * HTTP API"): {@code GET /loki/api/v1/query?query&time} answering a {@code vector}, {@code
 * /loki/api/v1/query_range?query&start&end&step} a {@code matrix}, a log query {@code streams};
 * times in Unix seconds; the tenant in {@code X-Scope-OrgID} (401 {@code no org id} without it); a
 * query it cannot parse a 400 with the reason as plain text ({@code parse error at line 1, col N:
 * ...}). It also checks a bearer token, as the gateway in front of a hosted Loki does.
 *
 * <p>It evaluates the LogQL subset plans use: {@code [sum [by (l)]] (count_over_time|rate ( {l="v",
 * l=~"re", l!="v"} [|= "s"] [!= "s"] [|~ "re"] [!~ "re"] [<n>s|m]))}, with Go string escapes and
 * raw backtick strings.
 */
public final class LokiContractServer implements AutoCloseable {

  private record Line(Map<String, String> labels, long second, String text) {}

  private final TextHttpServer http = new TextHttpServer();
  private final List<Line> lines = new CopyOnWriteArrayList<>();
  private final String tenant;
  private final String token;

  public LokiContractServer(String tenant, String token) {
    this.tenant = tenant;
    this.token = token;
    http.answer("/loki/api/v1/query", r -> query(r, false));
    http.answer("/loki/api/v1/query_range", r -> query(r, true));
  }

  public String url() {
    return "http://127.0.0.1:" + http.port();
  }

  /** Stores a log line of a stream, as a push through {@code /loki/api/v1/push} would. */
  public void push(Map<String, String> labels, long epochSecond, String text) {
    lines.add(new Line(Map.copyOf(labels), epochSecond, text));
  }

  public List<Recorded> requests() {
    return http.requests();
  }

  private Reply query(Recorded r, boolean range) {
    if (!tenant.equals(r.header("X-Scope-OrgID"))) {
      return new Reply(401, "text/plain; charset=utf-8", "no org id\n");
    }
    if (!("Bearer " + token).equals(r.header("Authorization"))) {
      return new Reply(401, "text/plain; charset=utf-8", "unauthorized\n");
    }
    String text = TextHttpServer.param(r.query(), "query");
    LogQl q;
    try {
      q = LogQl.parse(text == null ? "" : text);
    } catch (IllegalArgumentException e) {
      return new Reply(400, "text/plain; charset=utf-8", "parse error " + e.getMessage() + "\n");
    }
    if (q.function == null) {
      return Reply.json(
          200, "{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[]}}");
    }
    List<Long> times = new ArrayList<>();
    if (range) {
      long start = Long.parseLong(TextHttpServer.param(r.query(), "start"));
      long end = Long.parseLong(TextHttpServer.param(r.query(), "end"));
      long step = Long.parseLong(TextHttpServer.param(r.query(), "step"));
      for (long t = start; t <= end; t += step) {
        times.add(t);
      }
    } else {
      times.add(Long.parseLong(TextHttpServer.param(r.query(), "time")));
    }
    // series labels -> time -> value
    Map<String, TreeMap<Long, Double>> series = new TreeMap<>();
    Map<String, Map<String, String>> seriesLabels = new TreeMap<>();
    for (long t : times) {
      Map<String, Double> counts = new TreeMap<>();
      for (Line l : lines) {
        if (l.second() <= t - q.rangeSeconds || l.second() > t || !q.matches(l)) {
          continue;
        }
        Map<String, String> key = new TreeMap<>();
        if (q.sum) {
          q.by.forEach(b -> key.put(b, l.labels().getOrDefault(b, "")));
        } else {
          key.putAll(l.labels());
        }
        seriesLabels.put(key.toString(), key);
        counts.merge(key.toString(), 1.0, Double::sum);
      }
      counts.forEach(
          (k, c) ->
              series
                  .computeIfAbsent(k, x -> new TreeMap<>())
                  .put(t, q.function.equals("rate") ? c / q.rangeSeconds : c));
    }
    List<String> result = new ArrayList<>();
    for (Map.Entry<String, TreeMap<Long, Double>> s : series.entrySet()) {
      StringBuilder metric = new StringBuilder("{");
      seriesLabels
          .get(s.getKey())
          .forEach(
              (k, v) ->
                  metric
                      .append(metric.length() > 1 ? "," : "")
                      .append('"')
                      .append(Json.escape(k))
                      .append("\":\"")
                      .append(Json.escape(v))
                      .append('"'));
      metric.append('}');
      List<String> points = new ArrayList<>();
      s.getValue().forEach((t, v) -> points.add("[" + t + ",\"" + v + "\"]"));
      result.add(
          "{\"metric\":"
              + metric
              + (range
                  ? ",\"values\":[" + String.join(",", points) + "]"
                  : ",\"value\":" + points.get(0))
              + "}");
    }
    return Reply.json(
        200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\""
            + (range ? "matrix" : "vector")
            + "\",\"result\":["
            + String.join(",", result)
            + "],\"stats\":{}}}");
  }

  /** The parsed subset of a LogQL query. */
  private static final class LogQl {
    boolean sum;
    final List<String> by = new ArrayList<>();
    String function;
    final List<String[]> matchers = new ArrayList<>(); // label, op, value
    final List<String[]> filters = new ArrayList<>(); // op, value
    long rangeSeconds;

    boolean matches(Line l) {
      for (String[] m : matchers) {
        String v = l.labels().getOrDefault(m[0], "");
        boolean ok =
            switch (m[1]) {
              case "=" -> v.equals(m[2]);
              case "!=" -> !v.equals(m[2]);
              case "=~" -> Pattern.compile(m[2]).matcher(v).matches();
              default -> !Pattern.compile(m[2]).matcher(v).matches();
            };
        if (!ok) {
          return false;
        }
      }
      for (String[] f : filters) {
        boolean ok =
            switch (f[0]) {
              case "|=" -> l.text().contains(f[1]);
              case "!=" -> !l.text().contains(f[1]);
              case "|~" -> Pattern.compile(f[1]).matcher(l.text()).find();
              default -> !Pattern.compile(f[1]).matcher(l.text()).find();
            };
        if (!ok) {
          return false;
        }
      }
      return true;
    }

    static LogQl parse(String text) {
      LogQl q = new LogQl();
      Scan s = new Scan(text);
      if (s.peekWord("sum")) {
        s.word("sum");
        q.sum = true;
        if (s.peekWord("by")) {
          s.word("by");
          s.expect("(");
          do {
            q.by.add(s.identifier());
          } while (s.optional(","));
          s.expect(")");
        }
        s.expect("(");
      }
      if (s.peekWord("count_over_time") || s.peekWord("rate")) {
        q.function = s.identifier();
        s.expect("(");
      }
      s.expect("{");
      do {
        String label = s.identifier();
        String op =
            s.optional("=~") ? "=~" : s.optional("!~") ? "!~" : s.optional("!=") ? "!=" : null;
        if (op == null) {
          s.expect("=");
          op = "=";
        }
        q.matchers.add(new String[] {label, op, s.string()});
      } while (s.optional(","));
      s.expect("}");
      while (true) {
        String op =
            s.optional("|=")
                ? "|="
                : s.optional("!=")
                    ? "!="
                    : s.optional("|~") ? "|~" : s.optional("!~") ? "!~" : null;
        if (op == null) {
          break;
        }
        q.filters.add(new String[] {op, s.string()});
      }
      if (q.function != null) {
        s.expect("[");
        String d = s.identifier();
        long n = Long.parseLong(d.substring(0, d.length() - 1));
        q.rangeSeconds = d.endsWith("m") ? n * 60 : d.endsWith("s") ? n : -1;
        if (q.rangeSeconds <= 0) {
          throw new IllegalArgumentException("at line 1, col " + s.at + ": bad range " + d);
        }
        s.expect("]");
        s.expect(")");
      }
      if (q.sum) {
        s.expect(")");
      }
      if (s.more()) {
        throw new IllegalArgumentException(
            "at line 1, col " + (s.at + 1) + ": syntax error: unexpected input");
      }
      return q;
    }
  }

  private static final class Scan {
    final String text;
    int at;

    Scan(String text) {
      this.text = text;
    }

    void space() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    boolean more() {
      space();
      return at < text.length();
    }

    boolean optional(String token) {
      space();
      if (text.startsWith(token, at)) {
        at += token.length();
        return true;
      }
      return false;
    }

    void expect(String token) {
      if (!optional(token)) {
        throw new IllegalArgumentException(
            "at line 1, col " + (at + 1) + ": syntax error: unexpected input, expecting " + token);
      }
    }

    boolean peekWord(String w) {
      space();
      int end = at + w.length();
      return text.startsWith(w, at)
          && (end >= text.length()
              || (!Character.isLetterOrDigit(text.charAt(end)) && text.charAt(end) != '_'));
    }

    void word(String w) {
      if (!peekWord(w)) {
        throw new IllegalArgumentException("at line 1, col " + (at + 1) + ": expecting " + w);
      }
      at += w.length();
    }

    String identifier() {
      space();
      int start = at;
      while (at < text.length()
          && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
        at++;
      }
      if (start == at) {
        throw new IllegalArgumentException(
            "at line 1, col " + (at + 1) + ": syntax error: expecting a name");
      }
      return text.substring(start, at);
    }

    String string() {
      space();
      if (at < text.length() && text.charAt(at) == '`') {
        int end = text.indexOf('`', at + 1);
        if (end < 0) {
          throw new IllegalArgumentException(
              "at line 1, col " + (at + 1) + ": unterminated raw string");
        }
        String s = text.substring(at + 1, end);
        at = end + 1;
        return s;
      }
      expect("\"");
      StringBuilder out = new StringBuilder();
      while (at < text.length()) {
        char c = text.charAt(at++);
        if (c == '"') {
          return out.toString();
        }
        if (c == '\\' && at < text.length()) {
          char e = text.charAt(at++);
          switch (e) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case '"', '\\', '\'' -> out.append(e);
            default ->
                throw new IllegalArgumentException(
                    "at line 1, col " + at + ": invalid escape \\" + e);
          }
        } else {
          out.append(c);
        }
      }
      throw new IllegalArgumentException("at line 1, col " + at + ": unterminated string");
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
