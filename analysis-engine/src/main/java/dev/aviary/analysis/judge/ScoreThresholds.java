package dev.aviary.analysis.judge;

/**
 * Score thresholds: at or above {@code pass} the verdict is PASS, at or above {@code marginal}
 * MARGINAL, below it FAIL. Defaults 95 / 75, Spinnaker's recommendation.
 */
public record ScoreThresholds(double pass, double marginal) {

  public static final ScoreThresholds DEFAULT = new ScoreThresholds(95, 75);

  public ScoreThresholds {
    if (!(marginal >= 0 && pass <= 100 && marginal <= pass)) {
      throw new IllegalArgumentException("need 0 <= marginal <= pass <= 100");
    }
  }

  Verdict classify(double score) {
    if (score >= pass) {
      return Verdict.PASS;
    }
    return score >= marginal ? Verdict.MARGINAL : Verdict.FAIL;
  }
}
