package dev.aviary.analysis.judge.mannwhitney;

import dev.aviary.analysis.judge.Classification;
import dev.aviary.analysis.judge.EffectSize;
import dev.aviary.analysis.judge.Format;
import dev.aviary.analysis.judge.Judge;
import dev.aviary.analysis.judge.JudgeContext;
import dev.aviary.analysis.judge.MetricInput;
import dev.aviary.analysis.judge.MetricResult;
import dev.aviary.analysis.judge.MetricSpec;
import dev.aviary.analysis.judge.Preprocessing;
import dev.aviary.analysis.stats.MannWhitney;
import dev.aviary.analysis.stats.MannWhitneyResult;
import dev.aviary.analysis.stats.Summary;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Compares canary with baseline as Kayenta's NetflixACAJudge does, with its confidence level and
 * tolerance made configurable (Kayenta hard-codes 0.98 and 0.25).
 *
 * <p>The metric is HIGH when its direction allows an increase, the lower end of the confidence
 * interval of the shift lies above {@code tolerance * |estimate|}, and the mean ratio reaches
 * {@code allowedIncrease} (or is undefined); LOW mirrors that. Where Kayenta adds random noise to
 * two constant series, this judge decides deterministically from the exact shift.
 */
public final class MannWhitneyJudge implements Judge {

  public static final String TYPE = "mann-whitney";
  public static final double DEFAULT_CONFIDENCE = 0.98;
  public static final double DEFAULT_TOLERANCE = 0.25;

  private final double confidence;
  private final double tolerance;

  public MannWhitneyJudge() {
    this(DEFAULT_CONFIDENCE, DEFAULT_TOLERANCE);
  }

  public MannWhitneyJudge(double confidence, double tolerance) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must lie in (0, 1)");
    }
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("tolerance must be a non-negative number");
    }
    this.confidence = confidence;
    this.tolerance = tolerance;
  }

  @Override
  public String type() {
    return TYPE;
  }

  public double confidence() {
    return confidence;
  }

  public double tolerance() {
    return tolerance;
  }

  @Override
  public MetricResult classify(MetricInput input, JudgeContext context) {
    MetricSpec spec = input.spec();
    if (input.error() != null) {
      return MetricResult.simple(spec, TYPE, Classification.ERROR, input.error());
    }
    double[] rawBaseline = input.baseline();
    if (rawBaseline == null) {
      return MetricResult.simple(
          spec, TYPE, Classification.ERROR, "no baseline data to compare the canary with");
    }
    double[] canary = Preprocessing.apply(input.canary(), spec, true);
    double[] baseline = Preprocessing.apply(rawBaseline, spec, true);
    Summary canaryStats = Summary.of(canary);
    Summary baselineStats = Summary.of(baseline);
    if (canary.length == 0 || baseline.length == 0) {
      String side =
          canary.length == 0 && baseline.length == 0
              ? "neither canary nor baseline"
              : canary.length == 0 ? "the canary" : "the baseline";
      String reason =
          side.startsWith("neither")
              ? "neither canary nor baseline returned data for this interval"
              : side + " returned no data for this interval";
      return withStats(
          spec, Classification.NODATA, false, null, null, canaryStats, baselineStats, reason);
    }
    double effect = meanRatio(canaryStats, baselineStats);
    if (sameValues(canary, baseline)) {
      return withStats(
          spec,
          Classification.PASS,
          false,
          null,
          effect,
          canaryStats,
          baselineStats,
          "canary and baseline hold the same values");
    }
    MannWhitneyResult test = MannWhitney.test(canary, baseline, confidence, true);
    return classify(spec, test, effect, canaryStats, baselineStats);
  }

  private MetricResult classify(
      MetricSpec spec,
      MannWhitneyResult test,
      double effect,
      Summary canaryStats,
      Summary baselineStats) {
    double margin = tolerance * Math.abs(test.estimate());
    boolean effectUndefined = Double.isNaN(effect);
    EffectSize gates = spec.effectSize();
    Classification classification = Classification.PASS;
    boolean critical = false;
    String interval =
        "the "
            + Format.num(confidence * 100)
            + "% interval of the shift canary - baseline is ["
            + Format.num(test.lowerBound())
            + ", "
            + Format.num(test.upperBound())
            + "] (estimate "
            + Format.num(test.estimate())
            + ", mean ratio "
            + Format.num(effect)
            + ")";
    if (Double.isInfinite(test.lowerBound()) && Double.isInfinite(test.upperBound())) {
      interval +=
          "; with "
              + canaryStats.count()
              + " canary and "
              + baselineStats.count()
              + " baseline points no difference can reach "
              + Format.num(confidence * 100)
              + "% confidence";
    }
    String reason;
    boolean significantlyHigher = test.lowerBound() > margin;
    boolean significantlyLower = test.upperBound() < -margin;
    if (significantlyHigher && spec.direction().allowsHigh()) {
      if (effectUndefined || effect >= gates.allowedIncrease()) {
        classification = Classification.HIGH;
        critical = spec.critical() && (effectUndefined || effect >= gates.criticalIncrease());
        reason = "canary is significantly higher than baseline: " + interval;
      } else {
        reason =
            "canary is significantly higher but within the allowed increase "
                + Format.num(gates.allowedIncrease())
                + ": "
                + interval;
      }
    } else if (significantlyLower && spec.direction().allowsLow()) {
      if (effectUndefined || effect <= gates.allowedDecrease()) {
        classification = Classification.LOW;
        critical = spec.critical() && (effectUndefined || effect <= gates.criticalDecrease());
        reason = "canary is significantly lower than baseline: " + interval;
      } else {
        reason =
            "canary is significantly lower but within the allowed decrease "
                + Format.num(gates.allowedDecrease())
                + ": "
                + interval;
      }
    } else if (significantlyHigher || significantlyLower) {
      reason =
          "canary differs from baseline only in the direction ("
              + (significantlyHigher ? "higher" : "lower")
              + ") this metric ignores: "
              + interval;
    } else {
      reason = "no significant difference from baseline: " + interval;
    }
    return new MetricResult(
        spec.name(),
        spec.group(),
        classification,
        critical,
        TYPE,
        null,
        test.pValue(),
        test.lowerBound(),
        test.upperBound(),
        test.estimate(),
        effect,
        canaryStats,
        baselineStats,
        Map.of(),
        reason);
  }

  private static MetricResult withStats(
      MetricSpec spec,
      Classification classification,
      boolean critical,
      @Nullable Double estimate,
      @Nullable Double effect,
      Summary canary,
      Summary baseline,
      String reason) {
    return new MetricResult(
        spec.name(),
        spec.group(),
        classification,
        critical,
        TYPE,
        null,
        null,
        null,
        null,
        estimate,
        effect,
        canary,
        baseline,
        Map.of(),
        reason);
  }

  private static double meanRatio(Summary canary, Summary baseline) {
    if (canary.mean() == 0 || baseline.mean() == 0) {
      return Double.NaN;
    }
    return canary.mean() / baseline.mean();
  }

  private static boolean sameValues(double[] a, double[] b) {
    if (a.length != b.length) {
      return Arrays.stream(a).distinct().count() == 1
          && Arrays.stream(b).distinct().count() == 1
          && a[0] == b[0];
    }
    double[] sa = a.clone();
    double[] sb = b.clone();
    Arrays.sort(sa);
    Arrays.sort(sb);
    return Arrays.equals(sa, sb);
  }
}
