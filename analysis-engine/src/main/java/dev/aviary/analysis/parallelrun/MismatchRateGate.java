package dev.aviary.analysis.parallelrun;

import dev.aviary.analysis.judge.Format;
import dev.aviary.analysis.stats.RateAboveEvidence;
import dev.aviary.analysis.stats.RateBelowEvidence;
import java.util.Locale;

/**
 * Decides a parallel-run step from its mismatches and comparisons so far, sequentially: it may look
 * after every report without raising its error rates.
 *
 * <ul>
 *   <li><b>FAIL</b> as soon as the evidence that the mismatch rate is above {@code maxMismatchRate}
 *       reaches {@code 1/α} ({@link RateAboveEvidence}) — at any time, before the step's duration
 *       is up. A candidate whose true rate is at most the limit is failed with chance at most
 *       {@code α}.
 *   <li><b>WAIT</b> until the step's duration is up.
 *   <li><b>NODATA</b> with fewer than {@code minComparisons} comparisons: never a pass.
 *   <li><b>PASS</b> once the evidence that the rate is below the limit reaches {@code 1/α} ({@link
 *       RateBelowEvidence}); a candidate whose true rate is at least the limit passes with chance
 *       at most {@code α}.
 *   <li><b>UNDECIDED</b> otherwise: more comparisons are needed.
 * </ul>
 *
 * A limit of 0 asks for no mismatch at all: the first one fails the step, and it passes with none
 * among at least {@code minComparisons}.
 */
public final class MismatchRateGate {

  /** What the step does next. */
  public enum Verdict {
    FAIL,
    WAIT,
    NODATA,
    PASS,
    UNDECIDED
  }

  /**
   * A decision and its reason in words.
   *
   * @param harm the evidence that the rate is above the limit
   * @param safety the evidence that it is below
   */
  public record Decision(Verdict verdict, String reason, double harm, double safety) {}

  private MismatchRateGate() {}

  /**
   * Decides.
   *
   * @param mismatches comparisons that differed in something that is not noise
   * @param comparisons comparisons made
   * @param maxMismatchRate the limit, in [0, 1)
   * @param minComparisons the least number of comparisons a pass needs
   * @param alpha the error rates' bound, in (0, 1)
   * @param durationElapsed whether the step's duration is up
   */
  public static Decision decide(
      long mismatches,
      long comparisons,
      double maxMismatchRate,
      long minComparisons,
      double alpha,
      boolean durationElapsed) {
    if (!(maxMismatchRate >= 0 && maxMismatchRate < 1) || !(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("need 0 <= maxMismatchRate < 1 and 0 < alpha < 1");
    }
    double threshold = 1 / alpha;
    double harm;
    double safety;
    if (maxMismatchRate == 0) {
      harm = mismatches > 0 ? Double.POSITIVE_INFINITY : 0;
      safety = mismatches == 0 ? Double.POSITIVE_INFINITY : 0;
    } else {
      harm = RateAboveEvidence.of((double) mismatches, (double) comparisons, maxMismatchRate);
      safety = RateBelowEvidence.of((double) mismatches, (double) comparisons, maxMismatchRate);
    }
    String seen =
        count(mismatches)
            + " of "
            + count(comparisons)
            + " comparisons mismatched"
            + (comparisons > 0 ? " (" + pct((double) mismatches / comparisons) + ")" : "");
    String limit = "maxMismatchRate " + pct(maxMismatchRate);
    if (harm >= threshold) {
      return new Decision(
          Verdict.FAIL,
          seen
              + ": proven above "
              + limit
              + (maxMismatchRate == 0
                  ? ""
                  : " (evidence " + Format.num(harm) + " reached " + Format.num(threshold) + ")"),
          harm,
          safety);
    }
    if (!durationElapsed) {
      return new Decision(Verdict.WAIT, "comparing: " + seen + " so far", harm, safety);
    }
    if (comparisons < minComparisons) {
      return new Decision(
          Verdict.NODATA,
          "too few comparisons to judge: "
              + count(comparisons)
              + " of at least "
              + count(minComparisons)
              + " (minComparisons) — is the comparing proxy in front of the service and reporting?",
          harm,
          safety);
    }
    if (safety >= threshold) {
      return new Decision(
          Verdict.PASS,
          seen
              + ": shown below "
              + limit
              + (maxMismatchRate == 0
                  ? ""
                  : " (evidence " + Format.num(safety) + " reached " + Format.num(threshold) + ")"),
          harm,
          safety);
    }
    return new Decision(
        Verdict.UNDECIDED,
        seen
            + ": neither above nor below "
            + limit
            + " shown yet (evidence of harm "
            + Format.num(harm)
            + ", of safety "
            + Format.num(safety)
            + "; either decides at "
            + Format.num(threshold)
            + ")",
        harm,
        safety);
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.2f %%", share * 100);
  }
}
