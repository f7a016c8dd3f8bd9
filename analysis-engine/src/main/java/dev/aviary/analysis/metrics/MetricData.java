package dev.aviary.analysis.metrics;

/** What a query found: one series, or nothing at all. */
public sealed interface MetricData permits MetricData.Values, MetricData.NoData {

  /** The values of the series, NaN for gaps; empty for {@link NoData}. */
  double[] values();

  /** The query found a series. */
  record Values(TimeSeries series) implements MetricData {
    @Override
    public double[] values() {
      return series.values();
    }
  }

  /** The query succeeded but found no series (or no points): never to be read as zero. */
  record NoData(String reason) implements MetricData {
    @Override
    public double[] values() {
      return new double[0];
    }
  }
}
