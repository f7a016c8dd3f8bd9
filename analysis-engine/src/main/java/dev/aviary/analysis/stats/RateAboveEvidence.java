package dev.aviary.analysis.stats;

/**
 * Anytime-valid evidence that a rate of bad events is above an absolute bound {@code p₀}: the
 * mirror of {@link RateBelowEvidence}, for a parallel run's mismatch rate against its {@code
 * maxMismatchRate}.
 *
 * <p>For each alternative {@code p₁ > p₀} the likelihood ratio {@code (p₁/p₀)^bad · ((1 − p₁)/(1 −
 * p₀))^(total − bad)} is a non-negative supermartingale under every rate {@code p ≤ p₀} (one step's
 * expectation, {@code p·p₁/p₀ + (1 − p)(1 − p₁)/(1 − p₀)}, grows with {@code p} and is 1 at {@code
 * p₀}); the evidence is their average over the alternatives whose odds are 2, 5 and 20 times {@code
 * p₀}'s. By Ville's inequality the chance that it ever reaches {@code 1/α} while the rate is at
 * most {@code p₀} is at most {@code α}, however often it is looked at.
 */
public final class RateAboveEvidence {

  private static final double[] ODDS = {2, 5, 20};

  private RateAboveEvidence() {}

  /**
   * The evidence that the rate is above {@code bound} after {@code bad} bad events in {@code
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
    for (double m : ODDS) {
      double p1 = m * bound / (1 - bound + m * bound);
      double log =
          bad * (Math.log(p1) - Math.log(bound)) + good * (Math.log1p(-p1) - Math.log1p(-bound));
      sum += Math.exp(Math.min(log, 700));
    }
    return sum / ODDS.length;
  }
}
