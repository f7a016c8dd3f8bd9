package dev.aviary.analysis.stats;

/**
 * Anytime-valid evidence that one side's rate of bad events is below an absolute bound {@code p₀} —
 * how a quiet service, whose canary and baseline both see no errors, can still pass: a rate ratio
 * learns nothing from zero events, but many requests without an error show the rate is small.
 *
 * <p>For each alternative {@code p₁ < p₀} the likelihood ratio {@code (p₁/p₀)^bad · ((1 − p₁)/(1 −
 * p₀))^(total − bad)} is a non-negative supermartingale under every rate {@code p ≥ p₀}; the
 * evidence is their average over {@code p₁ = p₀/2, p₀/5, p₀/20}. It assumes independent requests,
 * which at the small rates this is meant for is close to the truth.
 */
public final class RateBelowEvidence {

  private static final double[] FRACTIONS = {0.5, 0.2, 0.05};

  private RateBelowEvidence() {}

  /**
   * The evidence that the rate is below {@code bound} after {@code bad} bad events among {@code
   * total}.
   */
  public static double of(double bad, double total, double bound) {
    if (!(bound > 0 && bound < 1)) {
      throw new IllegalArgumentException("bound must lie in (0, 1)");
    }
    if (total <= 0) {
      return 1;
    }
    double good = Math.max(0, total - bad);
    double sum = 0;
    for (double f : FRACTIONS) {
      double p1 = bound * f;
      double log = bad * Math.log(f) + good * (Math.log1p(-p1) - Math.log1p(-bound));
      sum += Math.exp(Math.min(log, 700));
    }
    return sum / FRACTIONS.length;
  }
}
