package dev.aviary.analysis.metrics;

import dev.aviary.analysis.AnalysisException;

/**
 * A configured connection to one metrics backend. Implementations are thread-safe and hold no
 * per-query state.
 */
public interface MetricProvider {

  /**
   * Runs {@code query} and returns its one time series, or {@link MetricData.NoData} when the
   * backend has none. Never reports missing data as zero.
   *
   * @throws AnalysisException retryable for passing failures (connection, 5xx, 429), fatal for
   *     failures that repeat until someone changes the query or the settings
   */
  MetricData fetch(MetricQuery query);
}
