package dev.aviary.analysis.judge;

/**
 * Which judge compares canary with baseline, and how.
 *
 * @param type {@code mann-whitney}, or {@code threshold} where only thresholds apply
 * @param confidence confidence level of the Mann-Whitney interval
 * @param tolerance the band around zero, as a fraction of the estimate, a shift must clear
 */
public record JudgeSettings(String type, double confidence, double tolerance) {

  public static final JudgeSettings DEFAULT =
      new JudgeSettings(
          MannWhitneyJudge.TYPE,
          MannWhitneyJudge.DEFAULT_CONFIDENCE,
          MannWhitneyJudge.DEFAULT_TOLERANCE);

  /** The comparison judge these settings describe. */
  public MannWhitneyJudge comparisonJudge() {
    return new MannWhitneyJudge(confidence, tolerance);
  }

  /** An engine judging with these settings. */
  public JudgementEngine engine() {
    return new JudgementEngine(comparisonJudge());
  }
}
