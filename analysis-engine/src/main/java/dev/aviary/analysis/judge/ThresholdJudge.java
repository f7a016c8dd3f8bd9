package dev.aviary.analysis.judge;

import dev.aviary.analysis.stats.Summary;
import java.util.Map;
import java.util.Objects;

/**
 * Compares the canary's value, reduced over the interval, with absolute bounds: below {@code min}
 * is LOW, above {@code max} is HIGH, no value is NODATA. A count metric's value is the canary's
 * share of bad events in the window.
 */
public final class ThresholdJudge implements Judge {

  public static final String TYPE = "threshold";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public MetricResult classify(MetricInput input, JudgeContext context) {
    MetricSpec spec = input.spec();
    Threshold threshold = spec.threshold();
    if (input.error() != null) {
      return MetricResult.simple(spec, TYPE, Classification.ERROR, input.error());
    }
    if (threshold == null) {
      return MetricResult.simple(
          spec, TYPE, Classification.ERROR, "no threshold (min or max) is set for this metric");
    }
    if (input.histogram() != null) {
      return MetricResult.simple(
          spec,
          TYPE,
          Classification.ERROR,
          "a threshold judges a series or counts, not a histogram; bound a quantile as a series");
    }
    Counts counts = input.counts();
    double[] values;
    if (counts != null) {
      // the canary's share of bad events in this window; none without events
      values = counts.canaryTotal() > 0 ? new double[] {counts.canaryRate()} : new double[0];
    } else {
      values = Preprocessing.apply(input.canary(), spec, false);
    }
    if (values.length == 0) {
      return MetricResult.simple(
          spec, TYPE, Classification.NODATA, "the canary returned no data for this interval");
    }
    double value = threshold.reducer().apply(values);
    String described = threshold.reducer().wireName() + " " + Format.num(value);
    Classification classification;
    String reason;
    if (threshold.min() != null && value < threshold.min() - slack(threshold.min())) {
      classification = Classification.LOW;
      reason = described + " is below the minimum " + Format.num(threshold.min());
    } else if (threshold.max() != null && value > threshold.max() + slack(threshold.max())) {
      classification = Classification.HIGH;
      reason = described + " is above the maximum " + Format.num(threshold.max());
    } else {
      classification = Classification.PASS;
      reason = described + " is within " + bounds(threshold);
    }
    return new MetricResult(
        spec.name(),
        spec.group(),
        classification,
        spec.critical() && classification.isFailure(),
        TYPE,
        value,
        null,
        null,
        null,
        null,
        null,
        Summary.of(values),
        null,
        Map.of(),
        reason);
  }

  /**
   * How far past a bound a value must lie to cross it: a value at the bound stays within it even
   * when its arithmetic rounded (the mean of six 6/300 is 0.020000000000000004, not above 0.02).
   */
  static double slack(double bound) {
    return 1e-9 * Math.max(1, Math.abs(bound));
  }

  private static String bounds(Threshold t) {
    Double min = t.min();
    Double max = t.max();
    if (min != null && max != null) {
      return "[" + Format.num(min) + ", " + Format.num(max) + "]";
    }
    return min != null
        ? "the minimum " + Format.num(min)
        : "the maximum " + Format.num(Objects.requireNonNull(max, "a threshold has a bound"));
  }
}
