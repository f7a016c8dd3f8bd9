package dev.aviary.analysis.metrics;

import java.util.List;

/**
 * A provider whose backend answers a window as series of points (buckets, rows, datapoints): {@link
 * #fetch} combines the series the query returns, and a window's count is the sum of each series'
 * points, the backend having been asked for that window alone.
 */
public abstract class SeriesProvider implements MetricProvider {

  /**
   * Every series the query returns over its range, those without a value left out.
   *
   * @throws dev.aviary.analysis.AnalysisException as {@link MetricProvider#fetch}
   */
  protected abstract List<TimeSeries> series(MetricQuery query);

  /** What the backend is called in a no-data reason ({@code Datadog}). */
  protected abstract String backendName();

  @Override
  public MetricData fetch(MetricQuery query) {
    List<TimeSeries> series = series(query);
    if (series.isEmpty()) {
      return new MetricData.NoData(
          backendName() + " returned no series with values for this range");
    }
    return new MetricData.Values(TimeSeries.combine(series, query.aggregation()));
  }

  /** Each series summed over the window: a count query's count for the window. */
  @Override
  public List<TimeSeries> fetchWindow(MetricQuery query) {
    return WindowCounts.collapse(series(query), query.end().toEpochMilli());
  }
}
