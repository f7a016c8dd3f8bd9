package dev.aviary.analysis.parallelrun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.analysis.parallelrun.MismatchRateGate.Verdict;
import dev.aviary.analysis.stats.RateAboveEvidence;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MismatchRateGateTest {

  private static final double ALPHA = 0.01;

  /** The mixture likelihood ratio multiplied out one observation at a time, in decimals. */
  private static double reference(int bad, int total, double p0) {
    MathContext mc = MathContext.DECIMAL128;
    BigDecimal sum = BigDecimal.ZERO;
    for (double m : new double[] {2, 5, 20}) {
      BigDecimal p1 = BigDecimal.valueOf(m * p0 / (1 - p0 + m * p0));
      BigDecimal bp0 = BigDecimal.valueOf(p0);
      BigDecimal lr = BigDecimal.ONE;
      for (int i = 0; i < total; i++) {
        lr =
            i < bad
                ? lr.multiply(p1.divide(bp0, mc), mc)
                : lr.multiply(
                    BigDecimal.ONE.subtract(p1).divide(BigDecimal.ONE.subtract(bp0), mc), mc);
      }
      sum = sum.add(lr, mc);
    }
    return sum.divide(BigDecimal.valueOf(3), mc).doubleValue();
  }

  @Test
  void evidenceOfARateAboveTheBoundAgreesWithAMultipliedOutReference() {
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 200; i++) {
      int total = r.nextInt(0, 400);
      int bad = total == 0 ? 0 : r.nextInt(0, Math.min(total, 40) + 1);
      double p0 = 0.001 + r.nextDouble() * 0.2;
      double expected = reference(bad, total, p0);
      assertThat(RateAboveEvidence.of(bad, total, p0))
          .as("bad %d of %d, bound %f", bad, total, p0)
          .isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(1e-6));
    }
  }

  /** Runs the gate over one simulated parallel run, looking after every 50 comparisons. */
  private static Verdict run(SplittableRandom r, double trueRate, double max, int maxComparisons) {
    long bad = 0;
    for (int n = 1; n <= maxComparisons; n++) {
      bad += r.nextDouble() < trueRate ? 1 : 0;
      if (n % 50 == 0) {
        Verdict v = MismatchRateGate.decide(bad, n, max, 500, ALPHA, true).verdict();
        if (v == Verdict.FAIL || v == Verdict.PASS) {
          return v;
        }
      }
    }
    return Verdict.UNDECIDED;
  }

  @Test
  void aCandidateAtTheLimitIsFailedAndOneAtThreeTimesItPassedAtMostAlphaOfTheTime() {
    SplittableRandom r = new SplittableRandom(11);
    int runs = 2000;
    int falseFails = 0;
    int badPasses = 0;
    for (int i = 0; i < runs; i++) {
      falseFails += run(r, 0.01, 0.01, 5000) == Verdict.FAIL ? 1 : 0;
      badPasses += run(r, 0.01, 0.0033, 5000) == Verdict.PASS ? 1 : 0;
    }
    // alpha is 1 %: 20 of 2000; 3 standard deviations of the binomial on top
    assertThat(falseFails).isLessThanOrEqualTo(33);
    assertThat(badPasses).isLessThanOrEqualTo(33);
  }

  @Test
  void aThreePercentFieldBugFailsAgainstOnePercentAndAnEqualCandidatePasses() {
    SplittableRandom r = new SplittableRandom(13);
    int fails = 0;
    int passes = 0;
    for (int i = 0; i < 500; i++) {
      fails += run(r, 0.03, 0.01, 2000) == Verdict.FAIL ? 1 : 0;
      passes += run(r, 0.0, 0.01, 2000) == Verdict.PASS ? 1 : 0;
    }
    assertThat(fails).isGreaterThanOrEqualTo(495);
    assertThat(passes).isEqualTo(500);
  }

  @Test
  void tooFewComparisonsIsNoDataNeverAPassAndTheDurationIsWaitedFor() {
    assertThat(MismatchRateGate.decide(0, 100, 0.01, 500, ALPHA, true).verdict())
        .isEqualTo(Verdict.NODATA);
    assertThat(MismatchRateGate.decide(0, 0, 0.01, 500, ALPHA, true).verdict())
        .isEqualTo(Verdict.NODATA);
    assertThat(MismatchRateGate.decide(0, 5000, 0.01, 500, ALPHA, false).verdict())
        .isEqualTo(Verdict.WAIT);
    assertThat(MismatchRateGate.decide(300, 1000, 0.01, 500, ALPHA, false).verdict())
        .isEqualTo(Verdict.FAIL);
    assertThat(MismatchRateGate.decide(10, 1000, 0.01, 500, ALPHA, true).verdict())
        .isEqualTo(Verdict.UNDECIDED);
    assertThat(MismatchRateGate.decide(1, 1000, 0, 500, ALPHA, false).verdict())
        .isEqualTo(Verdict.FAIL);
    assertThat(MismatchRateGate.decide(0, 1000, 0, 500, ALPHA, true).verdict())
        .isEqualTo(Verdict.PASS);
    assertThat(MismatchRateGate.decide(0, 1000, 0.01, 500, ALPHA, true).reason())
        .contains("0 of 1,000 comparisons mismatched (0.00 %): shown below maxMismatchRate 1.00 %");
  }
}
