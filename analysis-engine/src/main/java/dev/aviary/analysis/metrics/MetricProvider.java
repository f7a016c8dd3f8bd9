package dev.aviary.analysis.metrics;

import dev.aviary.analysis.AnalysisException;
import java.util.List;

/**
 * A configured connection to one metrics backend. Implementations are thread-safe and hold no
 * per-query state.
 */
public interface MetricProvider {

  /**
   * The backend {@code query} goes to, for circuit breakers and messages: one name per backend
   * instance, e.g. {@code prometheus 10.0.0.5:9090}. Never holds a credential.
   */
  String backend(MetricQuery query);

  /**
   * Runs {@code query} and returns its one time series, or {@link MetricData.NoData} when the
   * backend has none. Never reports missing data as zero.
   *
   * @throws AnalysisException retryable for passing failures (connection, 5xx, 429), fatal for
   *     failures that repeat until someone changes the query or the settings
   */
  MetricData fetch(MetricQuery query);

  /**
   * Renders {@code query} as {@link #fetch} would, without calling anything, and answers what it
   * would ask the backend, for people: each analysis stores it, so that a query that returns
   * nothing can be debugged, and a rollout's start values are refused at once when its queries
   * cannot use them (a value outside quotes, in a URL's host), rather than at the first analysis.
   * The answer is shown to everyone who may read the rollout: never a credential. By default the
   * template as written; providers show what they send (Prometheus its PromQL, the JSON provider
   * its URL with credential-like parameters masked).
   *
   * @throws dev.aviary.analysis.FatalAnalysisException naming the variable that cannot be used
   */
  default String render(MetricQuery query) {
    return query.template();
  }

  /**
   * Every series {@code query} returns for the window that ends at {@code query.end()}, labels
   * kept: what count metrics (summed) and latency histograms (by their {@code le} label) read.
   * Providers whose backend evaluates a query at one instant (Prometheus) do so at the window's
   * end, where {@code ${window}} covers the window exactly; by default the series {@link #fetch}
   * returns.
   *
   * @throws AnalysisException as {@link #fetch}
   */
  default List<TimeSeries> fetchWindow(MetricQuery query) {
    return fetch(query) instanceof MetricData.Values v ? List.of(v.series()) : List.of();
  }

  /**
   * Every series over the range, one point per {@code query.step()}, each point summing the step
   * before it, labels kept: how a backtest replays past windows in one request. By default the
   * series {@link #fetch} returns.
   *
   * @throws AnalysisException as {@link #fetch}
   */
  default List<TimeSeries> fetchWindows(MetricQuery query) {
    return fetchWindow(query);
  }
}
