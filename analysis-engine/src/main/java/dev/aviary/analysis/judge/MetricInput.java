package dev.aviary.analysis.judge;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The data of one metric for one judgement.
 *
 * @param spec how to judge it
 * @param canary the canary's values over the interval (NaN for gaps); empty when none
 * @param baseline the baseline's values, or null when the metric is not compared with a baseline
 * @param error why the data could not be fetched, or null
 */
// Arrays, not lists, because judges work on primitive doubles; each is copied in and out, and
// equals/hashCode below compare contents.
@SuppressWarnings("ArrayRecordComponent")
public record MetricInput(
    MetricSpec spec, double[] canary, double @Nullable [] baseline, @Nullable String error) {

  /** {@code canary} null reads as no values. */
  public MetricInput {
    Objects.requireNonNull(spec, "spec");
    canary = canary == null ? new double[0] : canary.clone();
    baseline = baseline == null ? null : baseline.clone();
  }

  /** Data for a metric judged against a threshold only. */
  public static MetricInput canaryOnly(MetricSpec spec, double... canary) {
    return new MetricInput(spec, canary, null, null);
  }

  /** Data for a metric compared with its baseline (and its threshold, if it has one). */
  public static MetricInput compared(MetricSpec spec, double[] canary, double[] baseline) {
    return new MetricInput(spec, canary, Objects.requireNonNull(baseline, "baseline"), null);
  }

  /** A metric whose data could not be obtained. */
  public static MetricInput failed(MetricSpec spec, String error) {
    return new MetricInput(spec, new double[0], null, Objects.requireNonNull(error, "error"));
  }

  @Override
  public double[] canary() {
    return canary.clone();
  }

  @Override
  public double @Nullable [] baseline() {
    return baseline == null ? null : baseline.clone();
  }

  public boolean hasBaseline() {
    return baseline != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MetricInput other
        && spec.equals(other.spec)
        && java.util.Arrays.equals(canary, other.canary)
        && java.util.Arrays.equals(baseline, other.baseline)
        && Objects.equals(error, other.error);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        spec, java.util.Arrays.hashCode(canary), java.util.Arrays.hashCode(baseline), error);
  }

  @Override
  public String toString() {
    return "MetricInput[" + spec.name() + ", canary=" + canary.length + " values]";
  }
}
