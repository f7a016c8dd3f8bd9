package dev.aviary.analysis.metrics.http;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.RetryableAnalysisException;
import dev.aviary.analysis.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads answers of the Prometheus HTTP query API, and of APIs of its shape (Loki's). */
public final class PrometheusAnswers {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Error types that say the query itself is wrong: retrying repeats the failure. */
  private static final Set<String> QUERY_ERRORS = Set.of("bad_data", "execution", "not_found");

  private PrometheusAnswers() {}

  /**
   * Every series of an answer of the Prometheus query API (or Loki's, which has its shape), with
   * points; none when the result is empty. {@code backend} names the service in messages.
   *
   * @throws dev.aviary.analysis.AnalysisException fatal when the service rejected the query,
   *     retryable when it failed for a passing reason
   */
  public static List<TimeSeries> parse(String backend, int status, String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw HttpCalls.statusError(backend + " (body is not JSON)", status, body);
    }
    if (root == null || !root.isObject()) {
      throw HttpCalls.statusError(backend + " (unexpected body)", status, body);
    }
    if ("error".equals(root.path("status").asString(""))) {
      String type = root.path("errorType").asString("unknown");
      String error = root.path("error").asString("");
      if (QUERY_ERRORS.contains(type)) {
        throw new FatalAnalysisException(backend + " rejected the query (" + type + "): " + error);
      }
      if (HttpCalls.retryableStatus(status)
          || Set.of("timeout", "canceled", "unavailable", "internal").contains(type)) {
        throw new RetryableAnalysisException(
            backend + " failed the query (" + type + "): " + error);
      }
      throw new FatalAnalysisException(backend + " failed the query (" + type + "): " + error);
    }
    if (status != 200) {
      throw HttpCalls.statusError(backend, status, body);
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
              backend
                  + " returned a result of type '"
                  + resultType
                  + "', not a number series"
                  + (resultType.equals("streams")
                      ? ": a LogQL log query selects lines; count them, as in"
                          + " sum(count_over_time({app=\"web\"} |= \"error\" [${window}]))"
                      : ""));
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
}
