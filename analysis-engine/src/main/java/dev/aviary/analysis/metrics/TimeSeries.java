package dev.aviary.analysis.metrics;

import dev.aviary.analysis.FatalAnalysisException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One series: its labels, and values (NaN for gaps) at ascending Unix-millisecond timestamps. */
public final class TimeSeries {

  private final Map<String, String> labels;
  private final long[] timestamps;
  private final double[] values;

  public TimeSeries(Map<String, String> labels, long[] timestamps, double[] values) {
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException("timestamps and values differ in length");
    }
    this.labels = Map.copyOf(labels);
    this.timestamps = timestamps.clone();
    this.values = values.clone();
  }

  public Map<String, String> labels() {
    return labels;
  }

  public long[] timestamps() {
    return timestamps.clone();
  }

  public double[] values() {
    return values.clone();
  }

  public int size() {
    return values.length;
  }

  /**
   * Reduces several series to one, point by point over the union of their timestamps; a point
   * missing or NaN in one series is left out of that timestamp's aggregate.
   *
   * @throws FatalAnalysisException when there are several series and {@code aggregation} is NONE
   */
  public static TimeSeries combine(List<TimeSeries> series, SeriesAggregation aggregation) {
    if (series.size() == 1) {
      return series.get(0);
    }
    if (aggregation == SeriesAggregation.NONE) {
      List<String> shown = new ArrayList<>();
      for (int i = 0; i < Math.min(3, series.size()); i++) {
        shown.add(series.get(i).labels.toString());
      }
      throw new FatalAnalysisException(
          "the query returned "
              + series.size()
              + " series where one was expected (e.g. "
              + String.join(", ", shown)
              + "); aggregate them in the query or set the metric's seriesAggregation"
              + " to sum, avg, min or max");
    }
    TreeMap<Long, double[]> acc = new TreeMap<>(); // [sum, count, min, max]
    for (TimeSeries s : series) {
      for (int i = 0; i < s.values.length; i++) {
        double v = s.values[i];
        if (Double.isNaN(v)) {
          continue;
        }
        double[] a =
            acc.computeIfAbsent(
                s.timestamps[i],
                t -> new double[] {0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
        a[0] += v;
        a[1] += 1;
        a[2] = Math.min(a[2], v);
        a[3] = Math.max(a[3], v);
      }
    }
    long[] ts = new long[acc.size()];
    double[] vs = new double[acc.size()];
    int i = 0;
    for (Map.Entry<Long, double[]> e : acc.entrySet()) {
      double[] a = e.getValue();
      ts[i] = e.getKey();
      vs[i] =
          switch (aggregation) {
            case SUM -> a[0];
            case AVG -> a[0] / a[1];
            case MIN -> a[2];
            case MAX -> a[3];
            case NONE -> throw new IllegalStateException();
          };
      i++;
    }
    return new TimeSeries(Map.of(), ts, vs);
  }
}
