package dev.aviary.analysis.metrics.prometheus;

import dev.aviary.analysis.metrics.MetricData;
import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.QueryLanguage;
import dev.aviary.analysis.metrics.SeriesAggregation;
import dev.aviary.analysis.metrics.TimeSeries;
import dev.aviary.analysis.metrics.http.HttpCalls;
import dev.aviary.analysis.metrics.http.HttpOptions;
import dev.aviary.analysis.metrics.http.PrometheusAnswers;
import dev.aviary.kernel.SecretResolver;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Queries the Prometheus HTTP API ({@code POST /api/v1/query_range} or {@code /api/v1/query},
 * form-encoded, as Thanos, Mimir and VictoriaMetrics accept too).
 */
final class PrometheusProvider implements MetricProvider {

  private static final String BACKEND = "Prometheus";

  private final PrometheusSettings settings;
  private final HttpClient client;
  private final SecretResolver secrets;
  private final @Nullable AwsCredentialsProvider awsCredentials;

  PrometheusProvider(PrometheusSettings settings, ProviderContext context) {
    this.settings = settings;
    this.client = context.http();
    this.secrets = context.secrets();
    HttpOptions.SigV4 sigv4 = settings.http().sigv4();
    this.awsCredentials =
        sigv4 == null ? null : sigv4.aws().credentials(context, settings.http().timeout());
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
    byte[] body = encode(form).getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    settings.http().apply(request, secrets);
    HttpRequest built = request.build();
    HttpOptions.SigV4 sigv4 = settings.http().sigv4();
    if (sigv4 != null && awsCredentials != null) {
      built = sigv4.aws().sign(built, body, awsCredentials, sigv4.service());
    }
    HttpResponse<String> response = HttpCalls.send(client, built, BACKEND);
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
    return PrometheusAnswers.parse(BACKEND, status, body);
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
