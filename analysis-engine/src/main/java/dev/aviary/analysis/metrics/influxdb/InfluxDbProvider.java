package dev.aviary.analysis.metrics.influxdb;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.QueryLanguage;
import dev.aviary.analysis.metrics.TimeSeries;
import dev.aviary.analysis.metrics.http.HttpCalls;
import dev.aviary.analysis.metrics.http.HttpSeriesProvider;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Queries InfluxDB: InfluxQL through {@code POST /query} (1.x, and 2.x's compatibility API), Flux
 * through {@code POST /api/v2/query} answered in annotated CSV. Each series (an InfluxQL series of
 * one tag set, a Flux table) keeps its tags as labels; a window's count is the sum of the points
 * the query returns for it ({@code sum("count")} over {@code time > ${start}s AND time <= ${end}s}
 * returns one).
 */
final class InfluxDbProvider extends HttpSeriesProvider {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String BACKEND = "InfluxDB";

  /** Flux columns that are not a table's tags. */
  private static final Set<String> FLUX_NON_TAGS =
      Set.of("", "result", "table", "_start", "_stop", "_time", "_value");

  private final InfluxDbSettings settings;

  InfluxDbProvider(InfluxDbSettings settings, ProviderContext context) {
    super(InfluxDbProviderFactory.TYPE, BACKEND, settings.address(), context);
    this.settings = settings;
  }

  @Override
  public String render(MetricQuery query) {
    return query.rendered(language());
  }

  private QueryLanguage language() {
    return settings.flux() ? QueryLanguage.FLUX : QueryLanguage.INFLUXQL;
  }

  @Override
  protected List<TimeSeries> series(MetricQuery query) {
    String rendered = query.rendered(language());
    String base = base();
    HttpRequest.Builder request;
    if (settings.flux()) {
      ObjectNode body = JSON.createObjectNode();
      body.put("query", rendered);
      body.put("type", "flux");
      ObjectNode dialect = body.putObject("dialect");
      dialect.put("header", true);
      dialect.putArray("annotations").add("datatype").add("group").add("default");
      request =
          HttpRequest.newBuilder(
                  URI.create(
                      base + "/api/v2/query?org=" + enc(Objects.requireNonNull(settings.org()))))
              .header("Content-Type", "application/json")
              .header("Accept", "application/csv")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    } else {
      StringBuilder form =
          new StringBuilder("db=")
              .append(enc(Objects.requireNonNull(settings.database())))
              .append("&epoch=ms&q=")
              .append(enc(rendered));
      if (settings.retentionPolicy() != null) {
        form.append("&rp=").append(enc(settings.retentionPolicy()));
      }
      request =
          HttpRequest.newBuilder(URI.create(base + "/query"))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .header("Accept", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
    }
    settings.http().apply(request, secrets);
    HttpResponse<String> response = send(request.build());
    if (response.statusCode() != 200) {
      throw HttpCalls.statusError(BACKEND, response);
    }
    return settings.flux() ? parseFlux(response.body()) : parseInfluxQl(response.body());
  }

  /** The series of an InfluxQL answer; a statement's error is the query's. */
  static List<TimeSeries> parseInfluxQl(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new FatalAnalysisException("InfluxDB answered with a body that is not JSON");
    }
    List<TimeSeries> out = new ArrayList<>();
    for (JsonNode result : root.path("results")) {
      if (result.has("error")) {
        throw new FatalAnalysisException(
            "InfluxDB rejected the query: " + result.path("error").asString(""));
      }
      for (JsonNode s : result.path("series")) {
        JsonNode columns = s.path("columns");
        if (columns.size() != 2) {
          throw new FatalAnalysisException(
              "the InfluxQL query returns "
                  + Math.max(0, columns.size() - 1)
                  + " columns besides time ("
                  + columns
                  + "); select one value, such as mean(\"value\")");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("__name__", s.path("name").asString(""));
        for (Map.Entry<String, JsonNode> tag : s.path("tags").properties()) {
          labels.put(tag.getKey(), tag.getValue().asString(""));
        }
        JsonNode values = s.path("values");
        long[] ts = new long[values.size()];
        double[] vs = new double[values.size()];
        for (int i = 0; i < values.size(); i++) {
          ts[i] = values.get(i).path(0).asLong();
          JsonNode v = values.get(i).path(1);
          vs[i] = v.isNumber() ? v.asDouble() : Double.NaN;
        }
        add(out, labels, ts, vs);
      }
    }
    return out;
  }

  /** The tables of a Flux answer in annotated CSV, one series each. */
  static List<TimeSeries> parseFlux(String csv) {
    List<TimeSeries> out = new ArrayList<>();
    List<String> header = null;
    Map<String, List<long[]>> times = new LinkedHashMap<>();
    Map<String, List<Double>> values = new LinkedHashMap<>();
    Map<String, Map<String, String>> labels = new LinkedHashMap<>();
    for (String line : csv.split("\r?\n", -1)) {
      if (line.isEmpty()) {
        header = null; // a blank line ends a block of tables; annotations and a header follow
        continue;
      }
      if (line.startsWith("#")) {
        header = null;
        continue;
      }
      List<String> cells = Csv.row(line);
      if (header == null) {
        header = cells;
        continue;
      }
      int error = header.indexOf("error");
      if (error >= 0) {
        throw new FatalAnalysisException(
            "InfluxDB failed the Flux query: " + (error < cells.size() ? cells.get(error) : ""));
      }
      int value = header.indexOf("_value");
      if (value < 0) {
        throw new FatalAnalysisException(
            "the Flux query returns tables without a _value column (columns " + header + ")");
      }
      String key =
          cell(cells, header.indexOf("result")) + "/" + cell(cells, header.indexOf("table"));
      Map<String, String> tags = new LinkedHashMap<>();
      for (int i = 0; i < header.size() && i < cells.size(); i++) {
        if (!FLUX_NON_TAGS.contains(header.get(i))) {
          tags.put(header.get(i), cells.get(i));
        }
      }
      labels.putIfAbsent(key, tags);
      int timeColumn = header.contains("_time") ? header.indexOf("_time") : header.indexOf("_stop");
      long t = timeColumn < 0 ? 0 : instantMillis(cell(cells, timeColumn));
      times.computeIfAbsent(key, k -> new ArrayList<>()).add(new long[] {t});
      values.computeIfAbsent(key, k -> new ArrayList<>()).add(number(cell(cells, value)));
    }
    for (Map.Entry<String, List<Double>> e : values.entrySet()) {
      List<long[]> t = Objects.requireNonNull(times.get(e.getKey()));
      long[] ts = new long[t.size()];
      double[] vs = new double[t.size()];
      for (int i = 0; i < ts.length; i++) {
        ts[i] = t.get(i)[0];
        vs[i] = e.getValue().get(i);
      }
      add(out, Objects.requireNonNull(labels.get(e.getKey())), ts, vs);
    }
    return out;
  }

  private static void add(
      List<TimeSeries> out, Map<String, String> labels, long[] ts, double[] vs) {
    for (double v : vs) {
      if (!Double.isNaN(v)) {
        out.add(new TimeSeries(labels, ts, vs));
        return;
      }
    }
  }

  private static String cell(List<String> cells, int i) {
    return i >= 0 && i < cells.size() ? cells.get(i) : "";
  }

  private static double number(String text) {
    if (text.isEmpty()) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new FatalAnalysisException("the Flux query's _value is not a number: " + text);
    }
  }

  private static long instantMillis(String text) {
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new FatalAnalysisException("the Flux query's time is not RFC 3339: " + text);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** RFC 4180 rows: cells separated by commas, quoted cells with doubled quotes. */
  static final class Csv {
    private Csv() {}

    static List<String> row(String line) {
      List<String> cells = new ArrayList<>();
      StringBuilder cell = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cell.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            cell.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          cells.add(cell.toString());
          cell.setLength(0);
        } else {
          cell.append(c);
        }
      }
      cells.add(cell.toString());
      return cells;
    }
  }
}
