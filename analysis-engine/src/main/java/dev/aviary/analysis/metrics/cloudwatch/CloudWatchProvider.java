package dev.aviary.analysis.metrics.cloudwatch;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.QueryLanguage;
import dev.aviary.analysis.metrics.SeriesProvider;
import dev.aviary.analysis.metrics.TimeSeries;
import dev.aviary.analysis.metrics.WindowCounts;
import dev.aviary.analysis.metrics.http.AwsAuth;
import dev.aviary.analysis.metrics.http.HttpCalls;
import dev.aviary.analysis.metrics.http.JdkSdkHttpClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClientBuilder;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MessageData;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads CloudWatch through {@code GetMetricData}, every page of it. A query is a JSON object: one
 * metric, {@code {"namespace", "metric", "dimensions": {name: value}, "stat": "Sum", "unit"?}}, or
 * an {@code expression} — metric math over named metrics ({@code {"expression": "100 * e / t",
 * "metrics": {"e": {…}, "t": {…}}}}) or a Metrics Insights query. Dimension values are request
 * fields, sent as they are; values in an expression must be plain words. A window's count is the
 * {@code Sum} of the window read at the window's length as its period (or the provider's period,
 * summed).
 */
final class CloudWatchProvider extends SeriesProvider {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String BACKEND = "CloudWatch";
  private static final Set<String> METRIC_FIELDS =
      Set.of("namespace", "metric", "dimensions", "stat", "unit");
  private static final int MAX_PAGES = 50;

  private final CloudWatchSettings settings;
  private final CloudWatchClient client;

  CloudWatchProvider(CloudWatchSettings settings, ProviderContext context) {
    this.settings = settings;
    AwsAuth aws = settings.aws();
    CloudWatchClientBuilder builder =
        CloudWatchClient.builder()
            .region(Region.of(aws.region()))
            .credentialsProvider(aws.credentials(context, settings.timeout()))
            .httpClient(new JdkSdkHttpClient(context.http(), settings.timeout()))
            .overrideConfiguration(
                c ->
                    c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(settings.timeout().plusSeconds(1)));
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    this.client = builder.build();
  }

  @Override
  public String backend(MetricQuery query) {
    URI endpoint = settings.endpoint();
    return CloudWatchProviderFactory.TYPE
        + " "
        + (endpoint != null ? HttpCalls.hostPort(endpoint) : settings.aws().region());
  }

  @Override
  public String render(MetricQuery query) {
    return JSON.writeValueAsString(rendered(query));
  }

  @Override
  protected String backendName() {
    return BACKEND;
  }

  @Override
  protected List<TimeSeries> series(MetricQuery query) {
    return call(query, settings.period());
  }

  @Override
  public List<TimeSeries> fetchWindow(MetricQuery query) {
    long window = query.range().toSeconds();
    long period = settings.period().toSeconds();
    Duration asked =
        window > 0 && window % period == 0 && (window % 60 == 0 || window == period)
            ? Duration.ofSeconds(window)
            : settings.period();
    return WindowCounts.collapse(call(query, asked), query.end().toEpochMilli());
  }

  /** The template with the query's variables in each field, as JSON. */
  private ObjectNode rendered(MetricQuery query) {
    query.rendered(QueryLanguage.FIELD); // names an undefined variable before the JSON is read
    JsonNode template;
    try {
      template = JSON.readTree(query.template());
    } catch (JacksonException e) {
      throw new FatalAnalysisException(
          "a CloudWatch query is a JSON object, {\"namespace\", \"metric\", \"dimensions\","
              + " \"stat\"} or {\"expression\", \"metrics\"}: "
              + e.getOriginalMessage());
    }
    if (!(template instanceof ObjectNode object)) {
      throw new FatalAnalysisException("a CloudWatch query is a JSON object");
    }
    return (ObjectNode) substitute(object, query, "");
  }

  private static JsonNode substitute(JsonNode node, MetricQuery query, String field) {
    if (node.isString()) {
      QueryLanguage language =
          field.equals("expression") ? QueryLanguage.WORDS : QueryLanguage.FIELD;
      return JSON.getNodeFactory().stringNode(query.render(node.asString(), language));
    }
    if (node instanceof ObjectNode object) {
      ObjectNode out = JSON.createObjectNode();
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        out.set(e.getKey(), substitute(e.getValue(), query, e.getKey()));
      }
      return out;
    }
    return node;
  }

  private List<TimeSeries> call(MetricQuery asked, Duration period) {
    MetricQuery query = asked.shifted(settings.delay());
    ObjectNode q = rendered(query);
    List<MetricDataQuery> queries = new ArrayList<>();
    String returned;
    int seconds = (int) period.toSeconds();
    if (q.has("expression")) {
      for (Map.Entry<String, JsonNode> m : q.path("metrics").properties()) {
        if (!m.getKey().matches("[a-z][A-Za-z0-9_]{0,254}")) {
          throw new FatalAnalysisException(
              "a CloudWatch metric's id must start with a lower-case letter: " + m.getKey());
        }
        queries.add(
            MetricDataQuery.builder()
                .id(m.getKey())
                .metricStat(stat(m.getValue(), seconds, "metrics." + m.getKey()))
                .returnData(false)
                .build());
      }
      returned = "aviary";
      queries.add(
          MetricDataQuery.builder()
              .id(returned)
              .expression(q.path("expression").asString(""))
              .period(seconds)
              .returnData(true)
              .build());
    } else {
      returned = "aviary";
      queries.add(
          MetricDataQuery.builder()
              .id(returned)
              .metricStat(stat(q, seconds, ""))
              .returnData(true)
              .build());
    }
    Map<Instant, Double> points = new TreeMap<>();
    String label = "";
    String next = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      GetMetricDataRequest.Builder request =
          GetMetricDataRequest.builder()
              .metricDataQueries(queries)
              .startTime(query.start())
              .endTime(query.end())
              .scanBy(ScanBy.TIMESTAMP_ASCENDING);
      if (next != null) {
        request.nextToken(next);
      }
      GetMetricDataResponse response;
      try {
        response = client.getMetricData(request.build());
      } catch (SdkException e) {
        throw AwsAuth.translate(BACKEND, e);
      }
      for (MetricDataResult r : response.metricDataResults()) {
        if (!returned.equals(r.id())) {
          continue;
        }
        if (r.statusCode() == StatusCode.FORBIDDEN || r.statusCode() == StatusCode.INTERNAL_ERROR) {
          throw new FatalAnalysisException(
              "CloudWatch could not read the query ("
                  + r.statusCodeAsString()
                  + "): "
                  + String.join("; ", r.messages().stream().map(MessageData::value).toList()));
        }
        label = r.label() == null ? "" : r.label();
        for (int i = 0; i < r.timestamps().size() && i < r.values().size(); i++) {
          points.put(r.timestamps().get(i), r.values().get(i));
        }
      }
      next = response.nextToken();
      if (next == null || next.isEmpty()) {
        break;
      }
    }
    if (points.isEmpty()) {
      return List.of();
    }
    long[] ts = new long[points.size()];
    double[] vs = new double[points.size()];
    int i = 0;
    for (Map.Entry<Instant, Double> p : points.entrySet()) {
      ts[i] = p.getKey().toEpochMilli();
      vs[i] = p.getValue() == null ? Double.NaN : p.getValue();
      i++;
    }
    return List.of(new TimeSeries(Map.of("label", label), ts, vs));
  }

  private static MetricStat stat(JsonNode m, int period, String at) {
    String where = at.isEmpty() ? "" : " (" + at + ")";
    for (Map.Entry<String, JsonNode> e : m.properties()) {
      if (!METRIC_FIELDS.contains(e.getKey())
          && !e.getKey().equals("expression")
          && !e.getKey().equals("metrics")) {
        throw new FatalAnalysisException(
            "a CloudWatch metric has no field '"
                + e.getKey()
                + "'"
                + where
                + "; known: "
                + METRIC_FIELDS);
      }
    }
    String namespace = m.path("namespace").asString("");
    String name = m.path("metric").asString("");
    if (namespace.isEmpty() || name.isEmpty()) {
      throw new FatalAnalysisException("a CloudWatch metric needs namespace and metric" + where);
    }
    List<Dimension> dimensions = new ArrayList<>();
    Map<String, String> ordered = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> d : m.path("dimensions").properties()) {
      ordered.put(d.getKey(), d.getValue().asString(""));
    }
    ordered.forEach((k, v) -> dimensions.add(Dimension.builder().name(k).value(v).build()));
    MetricStat.Builder stat =
        MetricStat.builder()
            .metric(b -> b.namespace(namespace).metricName(name).dimensions(dimensions))
            .period(period)
            .stat(m.path("stat").asString("Sum"));
    @Nullable String unit = m.has("unit") ? m.path("unit").asString() : null;
    if (unit != null) {
      stat.unit(unit);
    }
    return stat.build();
  }
}
