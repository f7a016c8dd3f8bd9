package dev.aviary.analysis.judge;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The data of one metric for one judgement, in one of three shapes ({@link DataShape}): values over
 * the window, exact counts of the window, or a latency histogram of the window.
 *
 * @param spec how to judge it
 * @param canary the canary's values over the interval (NaN for gaps); empty when none or when the
 *     metric is not a series
 * @param baseline the baseline's values, or null when the metric is not compared with a baseline as
 *     a series
 * @param counts both sides' counts of the window, for a count metric; null otherwise
 * @param histogram both sides' histograms of the window, for a latency histogram; null otherwise
 * @param error why the data could not be fetched, or null
 */
// Arrays, not lists, because judges work on primitive doubles; each is copied in and out, and
// equals/hashCode below compare contents.
@SuppressWarnings("ArrayRecordComponent")
public record MetricInput(
    MetricSpec spec,
    double[] canary,
    double @Nullable [] baseline,
    @Nullable Counts counts,
    @Nullable Histogram histogram,
    @Nullable String error) {

  /** {@code canary} null reads as no values. */
  public MetricInput {
    Objects.requireNonNull(spec, "spec");
    canary = canary == null ? new double[0] : canary.clone();
    baseline = baseline == null ? null : baseline.clone();
  }

  /** Data for a metric judged against a threshold only. */
  public static MetricInput canaryOnly(MetricSpec spec, double... canary) {
    return new MetricInput(spec, canary, null, null, null, null);
  }

  /** Data for a metric compared with its baseline (and its threshold, if it has one). */
  public static MetricInput compared(MetricSpec spec, double[] canary, double[] baseline) {
    return new MetricInput(
        spec, canary, Objects.requireNonNull(baseline, "baseline"), null, null, null);
  }

  /** Counts of one window for both sides. */
  public static MetricInput counted(MetricSpec spec, Counts counts) {
    return new MetricInput(
        spec, new double[0], null, Objects.requireNonNull(counts, "counts"), null, null);
  }

  /** Histograms of one window for both sides. */
  public static MetricInput histogram(MetricSpec spec, Histogram histogram) {
    return new MetricInput(
        spec, new double[0], null, null, Objects.requireNonNull(histogram, "histogram"), null);
  }

  /** A metric whose data could not be obtained. */
  public static MetricInput failed(MetricSpec spec, String error) {
    return new MetricInput(
        spec, new double[0], null, null, null, Objects.requireNonNull(error, "error"));
  }

  /** The shape of the data: counts, a histogram, or (also for failed data) a series. */
  public DataShape shape() {
    if (counts != null) {
      return DataShape.COUNTS;
    }
    return histogram != null ? DataShape.HISTOGRAM : DataShape.SERIES;
  }

  @Override
  public double[] canary() {
    return canary.clone();
  }

  @Override
  public double @Nullable [] baseline() {
    return baseline == null ? null : baseline.clone();
  }

  /** Whether there is anything to compare the canary with. */
  public boolean hasBaseline() {
    return baseline != null || counts != null || histogram != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MetricInput other
        && spec.equals(other.spec)
        && Arrays.equals(canary, other.canary)
        && Arrays.equals(baseline, other.baseline)
        && Objects.equals(counts, other.counts)
        && Objects.equals(histogram, other.histogram)
        && Objects.equals(error, other.error);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        spec, Arrays.hashCode(canary), Arrays.hashCode(baseline), counts, histogram, error);
  }

  @Override
  public String toString() {
    return "MetricInput[" + spec.name() + ", " + shape() + "]";
  }
}
