package dev.aviary.analysis.metrics.prometheus;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.RetryableAnalysisException;
import dev.aviary.analysis.metrics.MetricData;
import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.QueryLanguage;
import dev.aviary.analysis.metrics.SeriesAggregation;
import dev.aviary.analysis.metrics.TimeSeries;
import dev.aviary.analysis.metrics.http.HttpCalls;
import dev.aviary.kernel.SecretResolver;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Queries the Prometheus HTTP API ({@code POST /api/v1/query_range} or {@code /api/v1/query},
 * form-encoded, as Thanos, Mimir and VictoriaMetrics accept too).
 */
final class PrometheusProvider implements MetricProvider {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String BACKEND = "Prometheus";

  /** Error types that say the query itself is wrong: retrying repeats the failure. */
  private static final Set<String> QUERY_ERRORS = Set.of("bad_data", "execution", "not_found");

  private final PrometheusSettings settings;
  private final HttpClient client;
  private final SecretResolver secrets;

  PrometheusProvider(PrometheusSettings settings, ProviderContext context) {
    this.settings = settings;
    this.client = context.http();
    this.secrets = context.secrets();
  }

  @Override
  public String backend(MetricQuery query) {
    return PrometheusProviderFactory.TYPE + " " + HttpCalls.hostPort(settings.address());
  }

  @Override
  public String render(MetricQuery query) {
    return query.rendered(QueryLanguage.PROMQL);
  }

  @Override
  public MetricData fetch(MetricQuery query) {
    List<TimeSeries> series =
        settings.instant() ? call(query, true, null) : call(query, false, stepOf(query));
    if (series.isEmpty()) {
      return new MetricData.NoData("the query returned no series for this range");
    }
    return new MetricData.Values(TimeSeries.combine(series, query.aggregation()));
  }

  /** An instant query at the window's end, whatever the mode: {@code ${window}} covers it. */
  @Override
  public List<TimeSeries> fetchWindow(MetricQuery query) {
    return call(query, true, null);
  }

  /** A range query whose step is the window: one point per consecutive window. */
  @Override
  public List<TimeSeries> fetchWindows(MetricQuery query) {
    return call(query, false, query.step() != null ? query.step() : stepOf(query));
  }

  private List<TimeSeries> call(MetricQuery query, boolean instant, @Nullable Duration step) {
    String promql = query.rendered(QueryLanguage.PROMQL);
    Map<String, String> form = new LinkedHashMap<>();
    form.put("query", promql);
    String path;
    if (instant) {
      path = "/api/v1/query";
      form.put("time", seconds(query.end()));
    } else {
      path = "/api/v1/query_range";
      form.put("start", seconds(query.start()));
      form.put("end", seconds(query.end()));
      form.put("step", BigDecimalSeconds.of(Objects.requireNonNull(step).toMillis()));
    }
    form.put("timeout", settings.http().timeout().toMillis() + "ms");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
    settings.http().apply(request, secrets);
    HttpResponse<String> response = HttpCalls.send(client, request.build(), BACKEND);
    return parseAll(response.statusCode(), response.body());
  }

  static MetricData parse(int status, String body, SeriesAggregation aggregation) {
    List<TimeSeries> series = parseAll(status, body);
    if (series.isEmpty()) {
      return new MetricData.NoData("the query returned no series for this range");
    }
    return new MetricData.Values(TimeSeries.combine(series, aggregation));
  }

  /** Every series of a response, with points; none when the result is empty. */
  static List<TimeSeries> parseAll(int status, String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw HttpCalls.statusError(BACKEND + " (body is not JSON)", status, body);
    }
    if (root == null || !root.isObject()) {
      throw HttpCalls.statusError(BACKEND + " (unexpected body)", status, body);
    }
    if ("error".equals(root.path("status").asString(""))) {
      String type = root.path("errorType").asString("unknown");
      String error = root.path("error").asString("");
      if (QUERY_ERRORS.contains(type)) {
        throw new FatalAnalysisException("Prometheus rejected the query (" + type + "): " + error);
      }
      if (HttpCalls.retryableStatus(status)
          || Set.of("timeout", "canceled", "unavailable", "internal").contains(type)) {
        throw new RetryableAnalysisException(
            "Prometheus failed the query (" + type + "): " + error);
      }
      throw new FatalAnalysisException("Prometheus failed the query (" + type + "): " + error);
    }
    if (status != 200) {
      throw HttpCalls.statusError(BACKEND, status, body);
    }
    JsonNode data = root.path("data");
    String resultType = data.path("resultType").asString("");
    JsonNode result = data.path("result");
    List<TimeSeries> series = new ArrayList<>();
    switch (resultType) {
      case "matrix" -> {
        for (JsonNode s : result) {
          series.add(toSeries(s.path("metric"), s.path("values")));
        }
      }
      case "vector" -> {
        for (JsonNode s : result) {
          series.add(toSeries(s.path("metric"), List.of(s.path("value"))));
        }
      }
      case "scalar" -> series.add(toSeries(null, List.of(result)));
      default ->
          throw new FatalAnalysisException(
              "Prometheus returned a result of type '" + resultType + "', not a number series");
    }
    series.removeIf(s -> s.size() == 0);
    return series;
  }

  private static TimeSeries toSeries(@Nullable JsonNode metric, Iterable<JsonNode> samples) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (metric != null) {
      for (Map.Entry<String, JsonNode> e : metric.properties()) {
        labels.put(e.getKey(), e.getValue().asString(""));
      }
    }
    List<Long> ts = new ArrayList<>();
    List<Double> vs = new ArrayList<>();
    for (JsonNode sample : samples) {
      if (!sample.isArray() || sample.size() != 2) {
        continue;
      }
      ts.add(Math.round(sample.get(0).asDouble() * 1000));
      vs.add(parseValue(sample.get(1).asString("NaN")));
    }
    long[] timestamps = ts.stream().mapToLong(Long::longValue).toArray();
    double[] values = vs.stream().mapToDouble(Double::doubleValue).toArray();
    return new TimeSeries(labels, timestamps, values);
  }

  private static double parseValue(String text) {
    return switch (text) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          yield Double.NaN;
        }
      }
    };
  }

  private URI endpoint(String path) {
    String base = settings.address().toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + path);
  }

  /** The query's step, else the settings', else range / 60 (at least 1s). */
  private Duration stepOf(MetricQuery query) {
    Duration step = query.step() != null ? query.step() : settings.step();
    if (step == null) {
      long rangeMillis = query.range().toMillis();
      step = Duration.ofMillis(Math.max(1000, (rangeMillis + 59) / 60));
    }
    return step;
  }

  private static String seconds(Instant t) {
    return BigDecimalSeconds.of(t.toEpochMilli());
  }

  private static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /** Milliseconds as decimal seconds, the form Prometheus takes for times and steps. */
  private static final class BigDecimalSeconds {
    private BigDecimalSeconds() {}

    static String of(long millis) {
      return java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }
  }
}
