package dev.aviary.analysis.metrics;

import dev.aviary.analysis.AnalysisException;

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
}
