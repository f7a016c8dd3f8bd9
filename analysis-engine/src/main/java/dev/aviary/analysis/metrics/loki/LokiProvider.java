package dev.aviary.analysis.metrics.loki;

import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.QueryLanguage;
import dev.aviary.analysis.metrics.TimeSeries;
import dev.aviary.analysis.metrics.http.AddressSettings;
import dev.aviary.analysis.metrics.http.HttpCalls;
import dev.aviary.analysis.metrics.http.HttpSeriesProvider;
import dev.aviary.analysis.metrics.http.PrometheusAnswers;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Runs LogQL metric queries: {@code GET /loki/api/v1/query} at a window's end (where {@code
 * ${window}} covers it, so {@code sum(count_over_time({app="web", version="${version}"} |= "ERROR"
 * [${window}]))} is the window's count of error lines) and {@code /loki/api/v1/query_range} for
 * series. Loki answers in the Prometheus API's shape; a log query (lines, not numbers) is refused
 * with the way to count them.
 */
final class LokiProvider extends HttpSeriesProvider {

  private static final String BACKEND = "Loki";

  private final AddressSettings settings;

  LokiProvider(AddressSettings settings, ProviderContext context) {
    super(LokiProviderFactory.TYPE, BACKEND, settings.address(), context);
    this.settings = settings;
  }

  @Override
  public String render(MetricQuery query) {
    return query.rendered(QueryLanguage.LOGQL);
  }

  /** The points of a range query over the query's range. */
  @Override
  protected List<TimeSeries> series(MetricQuery query) {
    return range(query, stepOf(query));
  }

  @Override
  public List<TimeSeries> fetchWindow(MetricQuery query) {
    return call(
        "/loki/api/v1/query?query="
            + enc(query.rendered(QueryLanguage.LOGQL))
            + "&time="
            + query.end().getEpochSecond());
  }

  @Override
  public List<TimeSeries> fetchWindows(MetricQuery query) {
    return range(query, query.step() != null ? query.step() : stepOf(query));
  }

  private List<TimeSeries> range(MetricQuery query, Duration step) {
    return call(
        "/loki/api/v1/query_range?query="
            + enc(query.rendered(QueryLanguage.LOGQL))
            + "&start="
            + query.start().getEpochSecond()
            + "&end="
            + query.end().getEpochSecond()
            + "&step="
            + Math.max(1, step.toSeconds()));
  }

  private List<TimeSeries> call(String pathAndQuery) {
    String base = base();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .header("Accept", "application/json")
            .GET();
    settings.http().apply(request, secrets);
    HttpResponse<String> response = send(request.build());
    if (response.statusCode() == 400) {
      throw HttpCalls.rejection(BACKEND, "query", response);
    }
    return PrometheusAnswers.parse(BACKEND, response.statusCode(), response.body());
  }

  /** Range / 60, at least a second. */
  private static Duration stepOf(MetricQuery query) {
    return Duration.ofMillis(Math.max(1000, (query.range().toMillis() + 59) / 60));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
