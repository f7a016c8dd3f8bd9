package dev.aviary.testing;

import dev.aviary.testing.TextHttpServer.Recorded;
import dev.aviary.testing.TextHttpServer.Reply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for InfluxDB 2.x's Flux query API. Debian packages InfluxDB 1.6, which has no Flux,
 * and no 2.x server can be installed here; this contract server follows the published API document
 * for {@code POST /api/v2/query} (docs.influxdata.com, "Query data with the InfluxDB API"): {@code
 * ?org=}, {@code Authorization: Token ...} (401 {@code {"code": "unauthorized", "message":
 * "unauthorized access"}} otherwise), a JSON body {@code {"query", "type": "flux", "dialect"}}, the
 * answer in annotated CSV ({@code #datatype}, {@code #group}, {@code #default}, a header, one block
 * of rows per table), a query it cannot compile a 400 {@code {"code": "invalid", "message":
 * "compilation failed: ..."}}, and 429 with {@code Retry-After} over the limit.
 *
 * <p>It evaluates the Flux subset plans use: {@code from(bucket: "b") |> range(start: <unix s>,
 * stop: <unix s>) |> filter(fn: (r) => r.k == "v" and ...)} and optionally {@code |> last()},
 * {@code |> sum()} or {@code |> mean()}, with Flux's string escapes ({@code \" \\ \$}) honoured.
 */
public final class InfluxDb2ContractServer implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private record Point(
      String bucket, String measurement, Map<String, String> tags, long second, double value) {}

  private final TextHttpServer http = new TextHttpServer();
  private final List<Point> points = new CopyOnWriteArrayList<>();
  private final String org;
  private final String token;
  private final AtomicInteger rateLimited = new AtomicInteger();

  public InfluxDb2ContractServer(String org, String token) {
    this.org = org;
    this.token = token;
    http.answer("/api/v2/query", this::query);
  }

  public String url() {
    return "http://127.0.0.1:" + http.port();
  }

  /** Stores a point of field {@code value}, as a write through {@code /api/v2/write} would. */
  public void write(
      String bucket, String measurement, Map<String, String> tags, long second, double value) {
    points.add(new Point(bucket, measurement, Map.copyOf(tags), second, value));
  }

  public void rateLimitNext(int n) {
    rateLimited.set(n);
  }

  public List<Recorded> requests() {
    return http.requests();
  }

  private static Reply error(int status, String code, String message) {
    return Reply.json(
        status, "{\"code\":\"" + code + "\",\"message\":\"" + Json.escape(message) + "\"}");
  }

  private Reply query(Recorded r) {
    if (!("Token " + token).equals(r.header("Authorization"))) {
      return error(401, "unauthorized", "unauthorized access");
    }
    if (!org.equals(TextHttpServer.param(r.query(), "org"))) {
      return error(
          404,
          "not found",
          "organization name \"" + TextHttpServer.param(r.query(), "org") + "\" not found");
    }
    if (rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return error(429, "too many requests", "org has exceeded its query limit")
          .withHeader("Retry-After", "5");
    }
    String flux;
    try {
      JsonNode body = JSON.readTree(r.body());
      flux = body.path("query").asString("");
      if (!"flux".equals(body.path("type").asString("flux"))) {
        return error(400, "invalid", "type must be flux");
      }
    } catch (RuntimeException e) {
      return error(400, "invalid", "failed to decode request body: " + e.getMessage());
    }
    Query q;
    try {
      q = Query.parse(flux);
    } catch (IllegalArgumentException e) {
      return error(400, "invalid", "compilation failed: " + e.getMessage());
    }
    Map<String, List<Point>> tables = new TreeMap<>();
    for (Point p : points) {
      if (!p.bucket().equals(q.bucket) || p.second() < q.start || p.second() >= q.stop) {
        continue;
      }
      boolean match = true;
      for (Map.Entry<String, String> c : q.filter.entrySet()) {
        String actual =
            c.getKey().equals("_measurement")
                ? p.measurement()
                : c.getKey().equals("_field") ? "value" : p.tags().get(c.getKey());
        match &= c.getValue().equals(actual);
      }
      if (match) {
        tables
            .computeIfAbsent(
                p.measurement() + "\u0000" + new TreeMap<>(p.tags()), k -> new ArrayList<>())
            .add(p);
      }
    }
    StringBuilder csv = new StringBuilder();
    int table = 0;
    for (List<Point> rows : tables.values()) {
      rows.sort((a, b) -> Long.compare(a.second(), b.second()));
      List<String> tagKeys = new ArrayList<>(new TreeMap<>(rows.get(0).tags()).keySet());
      boolean aggregate = q.function != null && !q.function.equals("last");
      csv.append("#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,")
          .append(aggregate ? "" : "dateTime:RFC3339,")
          .append("double,string,string")
          .append(",string".repeat(tagKeys.size()))
          .append("\r\n#group,false,false,true,true,")
          .append(aggregate ? "" : "false,")
          .append("false,true,true")
          .append(",true".repeat(tagKeys.size()))
          .append("\r\n#default,_result,,,,")
          .append(aggregate ? "" : ",")
          .append(",,")
          .append(",".repeat(tagKeys.size()))
          .append("\r\n,result,table,_start,_stop,")
          .append(aggregate ? "" : "_time,")
          .append("_value,_field,_measurement");
      tagKeys.forEach(k -> csv.append(',').append(k));
      csv.append("\r\n");
      List<double[]> out = new ArrayList<>(); // [second, value]
      if (q.function == null) {
        rows.forEach(p -> out.add(new double[] {p.second(), p.value()}));
      } else {
        double sum = rows.stream().mapToDouble(Point::value).sum();
        switch (q.function) {
          case "last" ->
              out.add(
                  new double[] {
                    rows.get(rows.size() - 1).second(), rows.get(rows.size() - 1).value()
                  });
          case "sum" -> out.add(new double[] {q.stop, sum});
          default -> out.add(new double[] {q.stop, sum / rows.size()});
        }
      }
      for (double[] o : out) {
        csv.append(",,")
            .append(table)
            .append(',')
            .append(Instant.ofEpochSecond(q.start))
            .append(',')
            .append(Instant.ofEpochSecond(q.stop))
            .append(',');
        if (!aggregate) {
          csv.append(Instant.ofEpochSecond((long) o[0])).append(',');
        }
        csv.append(o[1]).append(",value,").append(rows.get(0).measurement());
        for (String k : tagKeys) {
          csv.append(',').append(rows.get(0).tags().get(k));
        }
        csv.append("\r\n");
      }
      csv.append("\r\n");
      table++;
    }
    return new Reply(200, "text/csv; charset=utf-8", csv.toString());
  }

  /** The parsed subset of a Flux query. */
  private static final class Query {
    String bucket = "";
    long start;
    long stop;
    final Map<String, String> filter = new TreeMap<>();
    String function;

    static Query parse(String flux) {
      Query q = new Query();
      Scanner s = new Scanner(flux);
      s.word("from");
      s.expect('(');
      s.word("bucket");
      s.expect(':');
      q.bucket = s.string();
      s.expect(')');
      boolean ranged = false;
      while (s.more()) {
        s.pipe();
        String fn = s.identifier();
        s.expect('(');
        switch (fn) {
          case "range" -> {
            s.word("start");
            s.expect(':');
            q.start = s.integer();
            s.expect(',');
            s.word("stop");
            s.expect(':');
            q.stop = s.integer();
            ranged = true;
          }
          case "filter" -> {
            s.word("fn");
            s.expect(':');
            s.expect('(');
            s.word("r");
            s.expect(')');
            s.expect('=');
            s.expect('>');
            do {
              s.word("r");
              s.expect('.');
              String key = s.identifier();
              s.expect('=');
              s.expect('=');
              q.filter.put(key, s.string());
            } while (s.optionalWord("and"));
          }
          case "last", "sum", "mean" -> q.function = fn;
          default -> throw new IllegalArgumentException("unsupported function " + fn);
        }
        s.expect(')');
      }
      if (!ranged) {
        throw new IllegalArgumentException("error calling function \"from\": a range is required");
      }
      return q;
    }
  }

  private static final class Scanner {
    private final String text;
    private int at;

    Scanner(String text) {
      this.text = text;
    }

    private void space() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    boolean more() {
      space();
      return at < text.length();
    }

    void pipe() {
      expect('|');
      expect('>');
    }

    void expect(char c) {
      space();
      if (at >= text.length() || text.charAt(at) != c) {
        throw new IllegalArgumentException("error @1:" + (at + 1) + ": expected " + c);
      }
      at++;
    }

    String identifier() {
      space();
      int start = at;
      while (at < text.length()
          && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
        at++;
      }
      if (start == at) {
        throw new IllegalArgumentException("error @1:" + (at + 1) + ": expected an identifier");
      }
      return text.substring(start, at);
    }

    void word(String w) {
      String got = identifier();
      if (!got.equals(w)) {
        throw new IllegalArgumentException("error @1:" + at + ": expected " + w + ", got " + got);
      }
    }

    boolean optionalWord(String w) {
      space();
      if (text.startsWith(w, at)) {
        at += w.length();
        return true;
      }
      return false;
    }

    long integer() {
      space();
      int start = at;
      while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '-')) {
        at++;
      }
      try {
        return Long.parseLong(text.substring(start, at));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("error @1:" + (start + 1) + ": expected an integer");
      }
    }

    String string() {
      expect('"');
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
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case '"', '\\', '$' -> out.append(e);
            default -> throw new IllegalArgumentException("invalid escape \\" + e);
          }
        } else if (c == '$' && at < text.length() && text.charAt(at) == '{') {
          throw new IllegalArgumentException(
              "error @1:" + at + ": string interpolation is not supported in a filter value");
        } else {
          out.append(c);
        }
      }
      throw new IllegalArgumentException("unterminated string");
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
