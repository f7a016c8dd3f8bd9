package dev.aviary.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.aviary.testing.Gen;
import dev.aviary.testing.Sampling;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The count test's promises, checked by seeded simulation, and its arithmetic, checked against a
 * straightforward recomputation from every poll.
 */
class RateRatioEvidenceTest {

  private static final double ALPHA = 0.01;

  /** A rollout's worth of polls: 10 s each for an hour. */
  private static final int HOUR = 360;

  static int binomial(SplittableRandom random, int n, double p) {
    return Sampling.binomial(random, n, p);
  }

  static double gamma(SplittableRandom random, double shape) {
    return Sampling.gamma(random, shape);
  }

  /** How often a canary as good as its baseline is ever judged harmful within an hour. */
  private static double falseRollbacks(
      int runs, int canaryRequests, int baselineRequests, double dispersionShape, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int alarms = 0;
    for (int run = 0; run < runs; run++) {
      RateRatioEvidence evidence = new RateRatioEvidence(1, 1.5);
      for (int t = 0; t < HOUR; t++) {
        double canaryRate = 0.01;
        double baselineRate = 0.01;
        if (dispersionShape > 0) {
          canaryRate *= gamma(random, dispersionShape);
          baselineRate *= gamma(random, dispersionShape);
        }
        evidence.add(
            new RateRatioEvidence.Poll(
                binomial(random, canaryRequests, canaryRate),
                canaryRequests,
                binomial(random, baselineRequests, baselineRate),
                baselineRequests));
        if (evidence.harmEvidence() >= 1 / ALPHA) {
          alarms++;
          break;
        }
      }
    }
    return alarms / (double) runs;
  }

  /** Alpha plus three standard errors of a rate estimated from {@code runs} rollouts. */
  private static double budget(int runs) {
    return ALPHA + 3 * Math.sqrt(ALPHA * (1 - ALPHA) / runs);
  }

  @Test
  void aCanaryAsGoodAsItsBaselineIsRolledBackAtMostAlphaOfTheTimeHoweverOftenItIsJudged() {
    assertThat(falseRollbacks(1000, 50, 50, 0, 11)).isLessThanOrEqualTo(budget(1000));
  }

  @Test
  void staysCalibratedWhenTheRatesVaryBetweenPollsMoreThanBinomially() {
    // each side's rate drawn per poll from a gamma of shape 4 (coefficient of variation 0.5):
    // a poll of 5 bad events varies about 1.4 times as much as a binomial one
    assertThat(falseRollbacks(500, 250, 250, 4, 12)).isLessThanOrEqualTo(budget(500));
  }

  @Test
  void loadShocksThatHitBothSidesCancel() {
    SplittableRandom random = new SplittableRandom(13);
    int alarms = 0;
    int runs = 500;
    for (int run = 0; run < runs; run++) {
      RateRatioEvidence evidence = new RateRatioEvidence(1, 1.5);
      for (int t = 0; t < HOUR; t++) {
        double shock = random.nextDouble() < 0.05 ? 8 : 1; // an incident hits everyone
        evidence.add(
            new RateRatioEvidence.Poll(
                binomial(random, 50, 0.01 * shock), 50, binomial(random, 50, 0.01 * shock), 50));
        if (evidence.harmEvidence() >= 1 / ALPHA) {
          alarms++;
          break;
        }
      }
    }
    assertThat(alarms / (double) runs).isLessThanOrEqualTo(budget(runs));
  }

  @Test
  void aCanaryWithFiveTimesTheErrorsIsCaughtWithinMinutes() {
    SplittableRandom random = new SplittableRandom(14);
    List<Integer> polls = new ArrayList<>();
    for (int run = 0; run < 200; run++) {
      RateRatioEvidence evidence = new RateRatioEvidence(1, 1.5);
      for (int t = 1; t <= HOUR; t++) {
        evidence.add(
            new RateRatioEvidence.Poll(
                binomial(random, 50, 0.05), 50, binomial(random, 50, 0.01), 50));
        if (evidence.harmEvidence() >= 1 / ALPHA) {
          polls.add(t);
          break;
        }
      }
    }
    assertThat(polls).hasSize(200);
    polls.sort(null);
    assertThat(polls.get(100)).as("median polls to rollback").isLessThanOrEqualTo(18);
  }

  @Test
  void theConfidenceSequenceCoversTheTrueRatioAtEveryLookWithTheStatedProbability() {
    SplittableRandom random = new SplittableRandom(15);
    double alpha = 0.05;
    int runs = 300;
    int misses = 0;
    for (int run = 0; run < runs; run++) {
      RateRatioEvidence evidence = new RateRatioEvidence(1, 1.5);
      boolean missed = false;
      for (int t = 1; t <= HOUR && !missed; t++) {
        evidence.add(
            new RateRatioEvidence.Poll(
                binomial(random, 100, 0.02), 100, binomial(random, 100, 0.01), 100));
        if (t % 30 == 0) {
          double[] cs = evidence.confidenceSequence(alpha);
          // the grid's resolution: a bound may sit half a step inside the truth
          double slack = Math.exp(RateRatioEvidence.STEP);
          missed = cs[0] > 2 * slack || cs[1] < 2 / slack;
        }
      }
      if (missed) {
        misses++;
      }
    }
    assertThat(misses / (double) runs)
        .isLessThanOrEqualTo(alpha + 3 * Math.sqrt(alpha * (1 - alpha) / runs));
  }

  @Test
  void pollsWithoutBadEventsOrWithoutRequestsOnASideLeaveTheEvidenceWhereItWas() {
    RateRatioEvidence evidence = new RateRatioEvidence(1, 1.5);
    for (int t = 0; t < 100; t++) {
      evidence.add(new RateRatioEvidence.Poll(0, 50, 0, 50));
      evidence.add(new RateRatioEvidence.Poll(3, 50, 0, 0)); // no baseline traffic this poll
    }
    assertThat(evidence.harmEvidence()).isEqualTo(1.0, within(1e-12));
    assertThat(evidence.safetyEvidence()).isEqualTo(1.0, within(1e-12));
    assertThat(evidence.estimate()).isEqualTo(1.0);
    assertThat(evidence.canaryBad()).isEqualTo(300);
    assertThat(evidence.polls()).isEqualTo(200);
  }

  @Test
  void aHealthyCanaryIsShownNonInferiorAndAWorseOneNever() {
    SplittableRandom random = new SplittableRandom(16);
    RateRatioEvidence healthy = new RateRatioEvidence(1, 1.5);
    RateRatioEvidence worse = new RateRatioEvidence(1, 1.5);
    for (int t = 0; t < 4 * HOUR; t++) {
      healthy.add(
          new RateRatioEvidence.Poll(
              binomial(random, 250, 0.01), 250, binomial(random, 250, 0.01), 250));
      worse.add(
          new RateRatioEvidence.Poll(
              binomial(random, 250, 0.02), 250, binomial(random, 250, 0.01), 250));
    }
    assertThat(healthy.safetyEvidence()).isGreaterThanOrEqualTo(1 / ALPHA);
    assertThat(worse.safetyEvidence()).isLessThan(1.0);
    assertThat(worse.estimate()).isBetween(1.7, 2.3);
  }

  @Test
  void refusesCountsThatCannotBe() {
    RateRatioEvidence evidence = new RateRatioEvidence(1, 1.5);
    assertThatThrownBy(() -> evidence.add(new RateRatioEvidence.Poll(-1, 10, 0, 10)))
        .hasMessageContaining("not negative");
    assertThatThrownBy(() -> evidence.add(new RateRatioEvidence.Poll(11, 10, 0, 10)))
        .hasMessageContaining("exceed");
    assertThatThrownBy(() -> evidence.add(new RateRatioEvidence.Poll(Double.NaN, 10, 0, 10)))
        .hasMessageContaining("finite");
  }

  static Stream<Long> seeds() {
    return Gen.seeds(40);
  }

  /**
   * The incremental sums on a grid, restored from their state mid-way, agree with a direct
   * recomputation of both mixtures from every poll, weights and all.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void agreesWithADirectRecomputationFromEveryPoll(long seed) {
    Gen gen = new Gen(seed);
    double allowed = gen.of(1.0, 1.1, 1.25);
    double max = gen.of(1.5, 2.0, 3.0);
    RateRatioEvidence incremental = new RateRatioEvidence(allowed, max);
    List<RateRatioEvidence.Poll> polls = new ArrayList<>();
    int n = gen.between(1, 80);
    for (int i = 0; i < n; i++) {
      int canaryTotal = gen.between(0, 400);
      int baselineTotal = gen.between(0, 400);
      RateRatioEvidence.Poll p =
          new RateRatioEvidence.Poll(
              gen.between(0, Math.min(canaryTotal, 12)),
              canaryTotal,
              gen.between(0, Math.min(baselineTotal, 12)),
              baselineTotal);
      polls.add(p);
      incremental.add(p);
      if (i == n / 2) {
        incremental = RateRatioEvidence.fromState(incremental.toState(), allowed, max); // a restart
      }
    }
    Reference reference = new Reference(polls);
    assertThat(incremental.harmEvidence())
        .isCloseTo(reference.mixture(Math.log(allowed), true, 0.5), relative());
    assertThat(incremental.safetyEvidence())
        .isCloseTo(reference.mixture(Math.log(max), false, 0.4), relative());
    double alpha = gen.of(0.01, 0.05, 0.2);
    assertThat(incremental.confidenceSequence(alpha))
        .usingComparatorWithPrecision(1e-9)
        .containsExactly(reference.confidenceSequence(alpha));
  }

  private static org.assertj.core.data.Offset<Double> relative() {
    return within(1e-6);
  }

  /** The evidence computed the slow, obvious way: every poll's likelihood at every grid ratio. */
  private static final class Reference {
    private final List<RateRatioEvidence.Poll> polls;
    private final List<Double> weights = new ArrayList<>();

    Reference(List<RateRatioEvidence.Poll> polls) {
      this.polls = polls;
      // each poll's weight from the polls before it: the correlation of bad events by moments
      List<double[]> seen = new ArrayList<>(); // {b, e, q}
      for (int i = 0; i < polls.size(); i++) {
        RateRatioEvidence.Poll p = polls.get(i);
        double rho = correlation(seen, i);
        double b = p.canaryBad();
        double e = b + p.baselineBad();
        // the typical bad events of a poll: this one's and those of the recent polls that had any
        double typical = e;
        for (double[] earlier : seen) {
          typical += earlier[1];
        }
        typical /= seen.size() + 1;
        weights.add(1 / (1 + rho * (typical - 1)));
        if (p.canaryTotal() > 0 && p.baselineTotal() > 0 && e > 0) {
          seen.add(new double[] {b, e, p.canaryTotal() / (p.canaryTotal() + p.baselineTotal())});
          if (seen.size() > RateRatioEvidence.WINDOW) {
            seen.remove(0);
          }
        }
      }
    }

    private double logLikelihood(double delta, int upTo) {
      double sum = 0;
      for (int i = 0; i < upTo; i++) {
        RateRatioEvidence.Poll p = polls.get(i);
        double b = p.canaryBad();
        double e = b + p.baselineBad();
        if (p.canaryTotal() <= 0 || p.baselineTotal() <= 0 || e <= 0) {
          continue;
        }
        double q = p.canaryTotal() / (p.canaryTotal() + p.baselineTotal());
        double theta = q * Math.exp(delta) / (1 - q + q * Math.exp(delta));
        sum += weights.get(i) * (b * Math.log(theta) + (e - b) * Math.log(1 - theta));
      }
      return sum;
    }

    private double correlation(List<double[]> seen, int upTo) {
      // the estimate the evidence holds when a poll arrives: residuals of the recent polls
      // around the maximum of the weighted likelihood of all polls so far
      if (seen.isEmpty()) {
        return RateRatioEvidence.PRIOR_RHO;
      }
      int best = 0;
      for (int j = 1; j < RateRatioEvidence.GRID; j++) {
        if (logLikelihood(RateRatioEvidence.delta(j), upTo)
            > logLikelihood(RateRatioEvidence.delta(best), upTo)) {
          best = j;
        }
      }
      double mle = RateRatioEvidence.delta(best);
      if (best > 0 && best < RateRatioEvidence.GRID - 1) {
        // the peak between grid points, from the parabola through the three around it
        double l0 = logLikelihood(RateRatioEvidence.delta(best - 1), upTo);
        double l1 = logLikelihood(mle, upTo);
        double l2 = logLikelihood(RateRatioEvidence.delta(best + 1), upTo);
        if (l0 - 2 * l1 + l2 < 0) {
          mle += RateRatioEvidence.STEP * 0.5 * (l0 - l2) / (l0 - 2 * l1 + l2);
        }
      }
      double excess = 0;
      double pairs = 0;
      for (double[] s : seen) {
        if (s[1] < 2) {
          continue;
        }
        double theta = s[2] * Math.exp(mle) / (1 - s[2] + s[2] * Math.exp(mle));
        double variance = s[1] * theta * (1 - theta);
        double r = s[0] - s[1] * theta;
        excess += r * r / variance - 1;
        pairs += s[1] - 1;
      }
      return Math.max(
          0,
          (excess + RateRatioEvidence.PRIOR_RHO * RateRatioEvidence.PRIOR_PAIRS)
              / (pairs + RateRatioEvidence.PRIOR_PAIRS));
    }

    /** Every grid ratio tested; the smallest and largest the two-sided mixture keeps. */
    double[] confidenceSequence(double alpha) {
      double lo = Double.NaN;
      double hi = Double.NaN;
      for (int k = 0; k < RateRatioEvidence.GRID; k++) {
        double d = RateRatioEvidence.delta(k);
        double e = 0.5 * gridMixture(k, true) + 0.5 * gridMixture(k, false);
        if (e < 1 / alpha) {
          lo = Double.isNaN(lo) ? Math.exp(d) : lo;
          hi = Math.exp(d);
        }
      }
      return new double[] {lo, hi};
    }

    /** The mixture over grid ratios on one side of grid ratio k, weighted by distance. */
    private double gridMixture(int k, boolean above) {
      double lNull = logLikelihood(RateRatioEvidence.delta(k), polls.size());
      double num = 0;
      double den = 0;
      for (int j = 0; j < RateRatioEvidence.GRID; j++) {
        int steps = above ? j - k : k - j;
        if (steps <= 0) {
          continue;
        }
        double distance = steps * RateRatioEvidence.STEP;
        // Rayleigh densities of scales 0.25, 0.75 and 2, mixed equally
        double w = 0;
        for (double scale : new double[] {0.25, 0.75, 2.0}) {
          w += distance / (scale * scale) * Math.exp(-distance * distance / (2 * scale * scale));
        }
        den += w;
        num += w * Math.exp(logLikelihood(RateRatioEvidence.delta(j), polls.size()) - lNull);
      }
      return den == 0 ? 1 : num / den;
    }

    double mixture(double nullDelta, boolean above, double scale) {
      double lNull = logLikelihood(nullDelta, polls.size());
      double num = 0;
      double den = 0;
      for (int j = 0; j < RateRatioEvidence.GRID; j++) {
        double d = RateRatioEvidence.delta(j);
        double distance = above ? d - nullDelta : nullDelta - d;
        if (distance <= 1e-9) {
          continue;
        }
        double w = distance * Math.exp(-0.5 * (distance / scale) * (distance / scale));
        den += w;
        num += w * Math.exp(logLikelihood(d, polls.size()) - lNull);
      }
      return num / den;
    }
  }
}
