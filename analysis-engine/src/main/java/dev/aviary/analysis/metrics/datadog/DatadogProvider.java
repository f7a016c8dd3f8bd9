package dev.aviary.analysis.metrics.datadog;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.QueryLanguage;
import dev.aviary.analysis.metrics.TimeSeries;
import dev.aviary.analysis.metrics.http.HttpCalls;
import dev.aviary.analysis.metrics.http.HttpSeriesProvider;
import dev.aviary.kernel.SecretUnavailableException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Queries Datadog's metrics API, {@code GET /api/v1/query?from&to&query}, with the API and
 * application keys in headers. A count metric's query ends in {@code .as_count()}: its points are
 * the counts of Datadog's rollup intervals, and a window's count is their sum.
 */
final class DatadogProvider extends HttpSeriesProvider {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String BACKEND = "Datadog";

  private final DatadogSettings settings;

  DatadogProvider(DatadogSettings settings, ProviderContext context) {
    super(DatadogProviderFactory.TYPE, BACKEND, settings.address(), context);
    this.settings = settings;
  }

  @Override
  public String render(MetricQuery query) {
    return query.rendered(QueryLanguage.WORDS);
  }

  @Override
  protected List<TimeSeries> series(MetricQuery asked) {
    MetricQuery query = asked.shifted(settings.delay());
    String rendered = query.rendered(QueryLanguage.WORDS);
    String base = base();
    URI uri =
        URI.create(
            base
                + "/api/v1/query?from="
                + query.start().getEpochSecond()
                + "&to="
                + query.end().getEpochSecond()
                + "&query="
                + URLEncoder.encode(rendered, StandardCharsets.UTF_8).replace("+", "%20"));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(settings.timeout())
            .header("Accept", "application/json")
            .GET();
    try {
      request.header("DD-API-KEY", secrets.resolve(settings.apiKey()));
      request.header("DD-APPLICATION-KEY", secrets.resolve(settings.applicationKey()));
    } catch (SecretUnavailableException e) {
      throw new FatalAnalysisException(String.valueOf(e.getMessage()));
    }
    HttpResponse<String> response = send(request.build());
    if (response.statusCode() != 200) {
      throw HttpCalls.statusError(BACKEND, response);
    }
    return parse(response.body());
  }

  /** The series of a {@code /api/v1/query} answer; those without a value are left out. */
  static List<TimeSeries> parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new FatalAnalysisException("Datadog answered with a body that is not JSON");
    }
    if ("error".equals(root.path("status").asString(""))) {
      throw new FatalAnalysisException(
          "Datadog rejected the query: " + root.path("error").asString("no reason given"));
    }
    List<TimeSeries> out = new ArrayList<>();
    for (JsonNode s : root.path("series")) {
      Map<String, String> labels = new LinkedHashMap<>();
      for (JsonNode tag : s.path("tag_set")) {
        String t = tag.asString("");
        int colon = t.indexOf(':');
        labels.put(colon < 0 ? t : t.substring(0, colon), colon < 0 ? "" : t.substring(colon + 1));
      }
      JsonNode points = s.path("pointlist");
      long[] ts = new long[points.size()];
      double[] vs = new double[points.size()];
      boolean any = false;
      for (int i = 0; i < points.size(); i++) {
        JsonNode p = points.get(i);
        ts[i] = Math.round(p.path(0).asDouble());
        JsonNode v = p.path(1);
        vs[i] = v.isNumber() ? v.asDouble() : Double.NaN;
        any |= !Double.isNaN(vs[i]);
      }
      if (any) {
        out.add(new TimeSeries(labels, ts, vs));
      }
    }
    return out;
  }
}
