package dev.aviary.analysis.metrics.newrelic;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.RetryableAnalysisException;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.QueryLanguage;
import dev.aviary.analysis.metrics.TimeSeries;
import dev.aviary.analysis.metrics.http.HttpCalls;
import dev.aviary.analysis.metrics.http.HttpSeriesProvider;
import dev.aviary.kernel.SecretUnavailableException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs NRQL through NerdGraph ({@code POST /graphql}, the user key as {@code API-Key}). Aviary adds
 * the window as {@code SINCE <ms> UNTIL <ms>}, so a template leaves both out. Each result row is
 * one value — the row's only number, or the one named {@code value} ({@code ... AS value}) — at its
 * {@code beginTimeSeconds} for TIMESERIES queries; rows of a FACET query are series labelled {@code
 * facet}. {@code SELECT count(*) FROM Transaction WHERE appVersion = '${version}' AND error IS
 * true} is a window's count.
 */
final class NewRelicProvider extends HttpSeriesProvider {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String BACKEND = "New Relic";
  private static final Pattern WINDOW_CLAUSE = Pattern.compile("(?i)\\b(SINCE|UNTIL)\\b");
  private static final Set<String> NOT_VALUES =
      Set.of("beginTimeSeconds", "endTimeSeconds", "facet", "timestamp");
  private static final Set<String> PASSING_ERRORS =
      Set.of("TIMEOUT", "SERVER_ERROR", "TOO_MANY_REQUESTS", "INTERNAL_SERVER_ERROR");

  private final NewRelicSettings settings;

  NewRelicProvider(NewRelicSettings settings, ProviderContext context) {
    super(NewRelicProviderFactory.TYPE, BACKEND, settings.address(), context);
    this.settings = settings;
  }

  @Override
  public String render(MetricQuery query) {
    return nrql(query.shifted(settings.delay()));
  }

  private static String nrql(MetricQuery query) {
    String rendered = query.rendered(QueryLanguage.NRQL);
    if (WINDOW_CLAUSE.matcher(query.template()).find()) {
      throw new FatalAnalysisException(
          "the NRQL query holds SINCE or UNTIL; leave both out: Aviary adds the window");
    }
    return rendered
        + " SINCE "
        + query.start().toEpochMilli()
        + " UNTIL "
        + query.end().toEpochMilli();
  }

  @Override
  protected List<TimeSeries> series(MetricQuery asked) {
    MetricQuery query = asked.shifted(settings.delay());
    ObjectNode body = JSON.createObjectNode();
    body.put(
        "query",
        "query($accountId: Int!, $nrql: Nrql!) { actor { account(id: $accountId) {"
            + " nrql(query: $nrql, timeout: "
            + settings.timeout().toSeconds()
            + ") { results } } } }");
    ObjectNode variables = body.putObject("variables");
    variables.put("accountId", settings.accountId());
    variables.put("nrql", nrql(query));
    String base = base();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/graphql"))
            .timeout(settings.timeout().plusSeconds(5))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    try {
      request.header("API-Key", secrets.resolve(settings.userKey()));
    } catch (SecretUnavailableException e) {
      throw new FatalAnalysisException(String.valueOf(e.getMessage()));
    }
    HttpResponse<String> response = send(request.build());
    if (response.statusCode() != 200) {
      throw HttpCalls.statusError(BACKEND, response);
    }
    return parse(response.body(), query.end().toEpochMilli());
  }

  /** The series in a NerdGraph answer's NRQL results; its errors are the query's. */
  static List<TimeSeries> parse(String body, long endMillis) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new FatalAnalysisException("New Relic answered with a body that is not JSON");
    }
    JsonNode errors = root.path("errors");
    if (errors.isArray() && !errors.isEmpty()) {
      JsonNode first = errors.get(0);
      String message = first.path("message").asString("no reason given");
      String errorClass = first.path("extensions").path("errorClass").asString("");
      if (PASSING_ERRORS.contains(errorClass)) {
        throw new RetryableAnalysisException("New Relic failed the NRQL query: " + message);
      }
      throw new FatalAnalysisException("New Relic rejected the NRQL query: " + message);
    }
    JsonNode results = root.path("data").path("actor").path("account").path("nrql").path("results");
    Map<String, List<double[]>> byFacet = new LinkedHashMap<>();
    for (JsonNode row : results) {
      String facet = row.has("facet") ? facetOf(row.path("facet")) : "";
      long t =
          row.has("beginTimeSeconds") ? row.path("beginTimeSeconds").asLong() * 1000 : endMillis;
      byFacet.computeIfAbsent(facet, f -> new ArrayList<>()).add(new double[] {t, valueOf(row)});
    }
    List<TimeSeries> out = new ArrayList<>();
    for (Map.Entry<String, List<double[]>> e : byFacet.entrySet()) {
      List<double[]> points = e.getValue();
      long[] ts = new long[points.size()];
      double[] vs = new double[points.size()];
      boolean any = false;
      for (int i = 0; i < ts.length; i++) {
        ts[i] = (long) points.get(i)[0];
        vs[i] = points.get(i)[1];
        any |= !Double.isNaN(vs[i]);
      }
      if (any) {
        out.add(
            new TimeSeries(e.getKey().isEmpty() ? Map.of() : Map.of("facet", e.getKey()), ts, vs));
      }
    }
    return out;
  }

  private static String facetOf(JsonNode facet) {
    if (facet.isArray()) {
      List<String> parts = new ArrayList<>();
      facet.forEach(f -> parts.add(f.asString("")));
      return String.join(",", parts);
    }
    return facet.asString("");
  }

  private static double valueOf(JsonNode row) {
    if (row.has("value")) {
      return number(row.path("value"));
    }
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : row.properties()) {
      if (!NOT_VALUES.contains(e.getKey())) {
        names.add(e.getKey());
      }
    }
    if (names.size() != 1) {
      throw new FatalAnalysisException(
          "an NRQL result row holds "
              + names.size()
              + " values "
              + names
              + "; select one, or name the one to judge AS value");
    }
    return number(row.path(names.get(0)));
  }

  private static double number(JsonNode v) {
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isNull() || v.isMissingNode()) {
      return Double.NaN;
    }
    // percentile() and friends answer an object of one number
    if (v.isObject() && v.size() == 1) {
      return number(v.values().iterator().next());
    }
    throw new FatalAnalysisException("an NRQL result is not a number: " + v);
  }
}
