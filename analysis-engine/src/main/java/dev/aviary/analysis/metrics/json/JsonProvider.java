package dev.aviary.analysis.metrics.json;

import com.jayway.jsonpath.InvalidJsonException;
import com.jayway.jsonpath.JsonPathException;
import com.jayway.jsonpath.PathNotFoundException;
import dev.aviary.analysis.AnalysisException;
import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.metrics.MetricData;
import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.QueryLanguage;
import dev.aviary.analysis.metrics.TimeSeries;
import dev.aviary.analysis.metrics.http.HttpCalls;
import dev.aviary.kernel.HttpUrls;
import dev.aviary.kernel.SecretResolver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fetches the rendered query URL and reads the JSONPath. A number (or numeric string, or boolean as
 * 1/0) is one point at the end of the range; a list of numbers is a series spread evenly over the
 * range; null, a missing path or an empty list is no data.
 */
final class JsonProvider implements MetricProvider {

  private static final String BACKEND = "web metric endpoint";

  private final JsonSettings settings;
  private final HttpClient client;
  private final SecretResolver secrets;

  JsonProvider(JsonSettings settings, ProviderContext context) {
    this.settings = settings;
    this.client = context.http();
    this.secrets = context.secrets();
  }

  /** The URL is the query: the backend is the host it renders to. */
  @Override
  public String backend(MetricQuery query) {
    try {
      return JsonProviderFactory.TYPE
          + " "
          + HttpCalls.hostPort(url(query.rendered(QueryLanguage.URL)));
    } catch (AnalysisException e) {
      return JsonProviderFactory.TYPE + " (a query that does not render to a URL)";
    }
  }

  @Override
  public String render(MetricQuery query) {
    URI uri = url(query.rendered(QueryLanguage.URL));
    String shown = settings.method() + " " + HttpCalls.masked(uri);
    if (settings.body() != null) {
      shown += " " + query.render(settings.body(), QueryLanguage.JSON);
    }
    return shown;
  }

  @Override
  public MetricData fetch(MetricQuery query) {
    URI uri = url(query.rendered(QueryLanguage.URL));
    HttpRequest.BodyPublisher body =
        settings.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(
                query.render(settings.body(), QueryLanguage.JSON));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .method(settings.method(), body)
            .header("Accept", "application/json");
    if (settings.body() != null) {
      request.header("Content-Type", "application/json");
    }
    settings.http().apply(request, secrets);
    HttpResponse<String> response = HttpCalls.send(client, request.build(), BACKEND);
    if (response.statusCode() / 100 != 2) {
      throw HttpCalls.statusError(BACKEND, response.statusCode(), response.body());
    }
    Object picked;
    try {
      picked = settings.jsonPath().read(response.body());
    } catch (PathNotFoundException e) {
      return new MetricData.NoData("the answer has nothing at " + settings.jsonPath().getPath());
    } catch (InvalidJsonException e) {
      throw new FatalAnalysisException("the web metric endpoint did not answer with JSON");
    } catch (JsonPathException e) {
      throw new FatalAnalysisException(
          "cannot read " + settings.jsonPath().getPath() + ": " + e.getClass().getSimpleName());
    }
    List<Double> values = new ArrayList<>();
    collect(picked, values);
    if (values.isEmpty()) {
      return new MetricData.NoData(settings.jsonPath().getPath() + " selected no value");
    }
    return new MetricData.Values(spread(values, query));
  }

  private void collect(Object picked, List<Double> into) {
    if (picked == null) {
      return;
    }
    if (picked instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof List<?>) {
          throw new FatalAnalysisException(
              settings.jsonPath().getPath() + " selected nested lists, not numbers");
        }
        collect(o, into);
      }
      return;
    }
    into.add(number(picked));
  }

  private double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    // never the value itself: what a plan's URL fetched may be anything (a token, a secret), and
    // the reason is shown to everyone who may read the rollout
    String shown =
        value instanceof Map<?, ?>
            ? "an object"
            : value instanceof String s ? "a string of " + s.length() + " characters" : "a value";
    throw new FatalAnalysisException(
        settings.jsonPath().getPath() + " selected " + shown + ", not a number");
  }

  private static TimeSeries spread(List<Double> values, MetricQuery query) {
    int n = values.size();
    long start = query.start().toEpochMilli();
    long end = query.end().toEpochMilli();
    long[] ts = new long[n];
    double[] vs = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = n == 1 ? end : start + (end - start) * i / (n - 1);
      vs[i] = values.get(i);
    }
    return new TimeSeries(Map.of(), ts, vs);
  }

  private static URI url(String rendered) {
    List<String> problems = new ArrayList<>();
    URI uri = HttpUrls.check(rendered, problems::add);
    if (uri == null) {
      throw new FatalAnalysisException(
          "the web metric's query must render to an http(s) URL without credentials; '"
              + rendered
              + "' "
              + String.join("; ", problems));
    }
    return uri;
  }
}
