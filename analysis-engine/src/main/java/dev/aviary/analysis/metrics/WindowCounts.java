package dev.aviary.analysis.metrics;

import dev.aviary.analysis.FatalAnalysisException;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads counts and histograms out of the series a window's query returns: several series of a count
 * are summed (a count of requests split by pod is the pods' sum); a histogram's series are its
 * buckets, named by their {@code le} label.
 */
public final class WindowCounts {

  public static final String LE = "le";

  private WindowCounts() {}

  /** The sum of each series' last value; empty when no series has one. */
  public static OptionalDouble total(List<TimeSeries> series) {
    double sum = 0;
    boolean any = false;
    for (TimeSeries s : series) {
      double last = last(s);
      if (!Double.isNaN(last)) {
        sum += last;
        any = true;
      }
    }
    return any ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }

  /**
   * The cumulative count per bucket bound, summed over series of the same bound; empty when no
   * series has a value.
   *
   * @throws FatalAnalysisException when a series has no {@code le} label or an unreadable one
   */
  public static SortedMap<Double, Double> buckets(List<TimeSeries> series) {
    SortedMap<Double, Double> buckets = new TreeMap<>();
    for (TimeSeries s : series) {
      double last = last(s);
      if (!Double.isNaN(last)) {
        buckets.merge(bound(s), last, Double::sum);
      }
    }
    return buckets;
  }

  /**
   * Each series reduced to one point at {@code endMillis}, the sum of its values: how a backend
   * that answers a window in buckets (Datadog, CloudWatch, Graphite, InfluxDB, New Relic) gives the
   * window's count, the buckets having been asked for that window alone. A series without a value
   * is left out, so that a window without data stays without data, never zero.
   */
  public static List<TimeSeries> collapse(List<TimeSeries> series, long endMillis) {
    List<TimeSeries> out = new java.util.ArrayList<>(series.size());
    for (TimeSeries s : series) {
      double sum = 0;
      boolean any = false;
      for (double v : s.values()) {
        if (!Double.isNaN(v)) {
          sum += v;
          any = true;
        }
      }
      if (any) {
        out.add(new TimeSeries(s.labels(), new long[] {endMillis}, new double[] {sum}));
      }
    }
    return out;
  }

  /** Per timestamp, the sum of the series' values there. */
  public static SortedMap<Long, Double> totalsOverTime(List<TimeSeries> series) {
    SortedMap<Long, Double> totals = new TreeMap<>();
    for (TimeSeries s : series) {
      long[] t = s.timestamps();
      double[] v = s.values();
      for (int i = 0; i < t.length; i++) {
        if (!Double.isNaN(v[i])) {
          totals.merge(t[i], v[i], Double::sum);
        }
      }
    }
    return totals;
  }

  /** Per timestamp, the cumulative count per bucket bound. */
  public static SortedMap<Long, SortedMap<Double, Double>> bucketsOverTime(
      List<TimeSeries> series) {
    SortedMap<Long, SortedMap<Double, Double>> result = new TreeMap<>();
    for (TimeSeries s : series) {
      double bound = bound(s);
      long[] t = s.timestamps();
      double[] v = s.values();
      for (int i = 0; i < t.length; i++) {
        if (!Double.isNaN(v[i])) {
          result.computeIfAbsent(t[i], k -> new TreeMap<>()).merge(bound, v[i], Double::sum);
        }
      }
    }
    return result;
  }

  private static double bound(TimeSeries s) {
    Map<String, String> labels = s.labels();
    String le = labels.get(LE);
    if (le == null) {
      throw new FatalAnalysisException(
          "a histogram query must return one series per bucket, labelled le, such as sum by (le)"
              + " (increase(http_request_duration_seconds_bucket[${window}])); a series came with "
              + labels);
    }
    try {
      return switch (le) {
        case "+Inf", "Inf", "inf", "+inf" -> Double.POSITIVE_INFINITY;
        default -> Double.parseDouble(le);
      };
    } catch (NumberFormatException e) {
      throw new FatalAnalysisException("a histogram bucket's le label is not a number: " + le);
    }
  }

  private static double last(TimeSeries s) {
    double[] v = s.values();
    for (int i = v.length - 1; i >= 0; i--) {
      if (!Double.isNaN(v[i])) {
        return v[i];
      }
    }
    return Double.NaN;
  }
}
