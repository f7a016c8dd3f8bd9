package dev.aviary.analysis.metrics.graphite;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.QueryLanguage;
import dev.aviary.analysis.metrics.TimeSeries;
import dev.aviary.analysis.metrics.http.AddressSettings;
import dev.aviary.analysis.metrics.http.HttpCalls;
import dev.aviary.analysis.metrics.http.HttpSeriesProvider;
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
 * Reads a Graphite target through {@code GET /render?target&from&until&format=json}. Graphite
 * answers the points after {@code from} up to {@code until}: a window is {@code (start, end]}. A
 * window's count is the sum of the target's points in it (a counter stored per interval, as statsd
 * and carbon's {@code sum} aggregation keep them).
 */
final class GraphiteProvider extends HttpSeriesProvider {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String BACKEND = "Graphite";

  private final AddressSettings settings;

  GraphiteProvider(AddressSettings settings, ProviderContext context) {
    super(GraphiteProviderFactory.TYPE, BACKEND, settings.address(), context);
    this.settings = settings;
  }

  @Override
  public String render(MetricQuery query) {
    return query.rendered(QueryLanguage.GRAPHITE);
  }

  @Override
  protected List<TimeSeries> series(MetricQuery query) {
    String target = query.rendered(QueryLanguage.GRAPHITE);
    String base = base();
    URI uri =
        URI.create(
            base
                + "/render?format=json&from="
                + query.start().getEpochSecond()
                + "&until="
                + query.end().getEpochSecond()
                + "&target="
                + URLEncoder.encode(target, StandardCharsets.UTF_8).replace("+", "%20"));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).header("Accept", "application/json").GET();
    settings.http().apply(request, secrets);
    HttpResponse<String> response = send(request.build());
    if (response.statusCode() != 200) {
      throw HttpCalls.rejection(BACKEND, "target", response);
    }
    return parse(response.body());
  }

  /** The series of a render answer; those without a value are left out. */
  static List<TimeSeries> parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new FatalAnalysisException("Graphite answered with a body that is not JSON");
    }
    List<TimeSeries> out = new ArrayList<>();
    for (JsonNode s : root) {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("target", s.path("target").asString(""));
      for (Map.Entry<String, JsonNode> tag : s.path("tags").properties()) {
        labels.put(tag.getKey(), tag.getValue().asString(""));
      }
      JsonNode points = s.path("datapoints");
      long[] ts = new long[points.size()];
      double[] vs = new double[points.size()];
      boolean any = false;
      for (int i = 0; i < points.size(); i++) {
        JsonNode v = points.get(i).path(0);
        vs[i] = v.isNumber() ? v.asDouble() : Double.NaN;
        ts[i] = points.get(i).path(1).asLong() * 1000;
        any |= !Double.isNaN(vs[i]);
      }
      if (any) {
        out.add(new TimeSeries(labels, ts, vs));
      }
    }
    return out;
  }
}
