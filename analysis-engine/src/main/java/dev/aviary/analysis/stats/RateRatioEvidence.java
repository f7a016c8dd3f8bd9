package dev.aviary.analysis.stats;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Anytime-valid evidence about the ratio of two event rates — the canary's bad events per request
 * against the baseline's — accumulated poll by poll over a whole rollout.
 *
 * <p><b>The model.</b> Given a poll's bad events of both sides, {@code e = a + b}, and the canary's
 * share of the poll's requests {@code q}, the canary's count is binomial: {@code b | e ~ Bin(e,
 * θ)}, {@code θ = q·r / (1 − q + q·r)} for the rate ratio {@code r} (exact for Poisson counts, and
 * conservative for binomial ones, whose conditional law is more concentrated). Anything that
 * multiplies both sides' rates at once — load, an incident, the time of day — cancels: only the
 * split of the bad events between the two sides carries evidence (Lindon and Malek's conditional
 * test for counting processes). Weight changes only change {@code q}.
 *
 * <p><b>The evidence.</b> With {@code δ = log r} and the tempered log-likelihood {@code L(δ) = Σ wᵢ
 * (bᵢ δ − eᵢ log(1 − qᵢ + qᵢ e^δ))}, the likelihood ratio of an alternative {@code δ₁} against a
 * null {@code δ₀} is {@code exp(L(δ₁) − L(δ₀))}. For {@code δ₁ > δ₀} it is a non-negative
 * supermartingale under every {@code δ ≤ δ₀} (monotone likelihood ratio), so a mixture of such
 * ratios — here over a Rayleigh prior on {@code δ₁ − δ₀} — is an e-process for the composite null
 * "the canary is at most {@code allowedIncrease} times worse". By Ville's inequality it exceeds
 * {@code 1/α} with probability at most {@code α}, however often it is looked at. The mirror image
 * tests "the canary is at least {@code maxIncrease} times worse": rejecting it is non-inferiority,
 * which is what passing a canary needs.
 *
 * <p><b>Overdispersion.</b> Real counts vary between polls more than a binomial allows (a slow pod,
 * a retry storm on one side). Each poll's log-likelihood is tempered by {@code w = 1/(1 + ρ(ē −
 * 1))}, the quasi-likelihood device for a beta-binomial variance {@code eθ(1−θ)(1 + ρ(e − 1))}:
 * {@code ρ} is the extra-binomial correlation estimated from the polls before it, {@code ē} the
 * typical number of bad events in a recent poll. The weight is the same for a poll of any size: one
 * that fell with the poll's own count would favour small polls, which under independent
 * fluctuations of the two sides are the ones where the canary looks worst. The benchmark measures
 * the false-rollback rate this leaves.
 *
 * <p>Everything needed to go on is a fixed-size state ({@link #toState()}): the tempered sums on a
 * grid of {@code δ}, exact at both nulls, and a window of recent polls for the dispersion. It
 * survives restarts in the rollout's judge state.
 */
public final class RateRatioEvidence {

  /** Grid of log rate ratios on which the evidence is kept: ratios 1/16 .. 16. */
  static final int GRID = 121;

  static final double MAX_LOG = Math.log(16);
  static final double STEP = 2 * MAX_LOG / (GRID - 1);

  /** Polls kept for the dispersion estimate. */
  static final int WINDOW = 60;

  /**
   * The prior of the extra-binomial correlation: {@link #PRIOR_RHO} over {@link #PRIOR_PAIRS} pairs
   * of events, so that the first large polls are tempered before the data can say how dispersed
   * they are.
   */
  static final double PRIOR_RHO = 0.2;

  static final double PRIOR_PAIRS = 40;

  /**
   * Scale of the prior on how far a harmful log ratio lies above the null: a Rayleigh density, most
   * weight near ratios 1.65 times the null, little on ratios too close to it to matter. Tuned on
   * the judge benchmark (bench/JudgeBenchmark) for power at 1.5x without losing speed at 5x.
   */
  static final double HARM_SCALE = 0.5;

  /** Scale of the Rayleigh prior on how far a safe log ratio lies below the margin. */
  static final double SAFE_SCALE = 0.4;

  /**
   * Scales of the Rayleigh priors the confidence sequence mixes, near and far: each ratio it
   * excludes must be rejected by alternatives wherever the data lie, not only close to it.
   */
  static final double[] CS_SCALES = {0.25, 0.75, 2.0};

  /** The confidence sequence's prior density at a log-ratio distance: an equal mix of Rayleighs. */
  static double csWeight(double distance) {
    double w = 0;
    for (double scale : CS_SCALES) {
      w += distance / (scale * scale) * Math.exp(-0.5 * (distance / scale) * (distance / scale));
    }
    return w / CS_SCALES.length;
  }

  private final double harmNull;
  private final double safeNull;

  private final double[] g = new double[GRID];
  private double gHarm;
  private double gSafe;
  private double bWeighted;
  private double eWeighted;

  private double canaryBad;
  private double canaryTotal;
  private double baselineBad;
  private double baselineTotal;
  private int polls;
  private double rho = PRIOR_RHO;

  // recent polls with bad events, for the dispersion: b, e, q
  private final double[] recentB = new double[WINDOW];
  private final double[] recentE = new double[WINDOW];
  private final double[] recentQ = new double[WINDOW];
  private int recentCount;
  private int recentNext;

  /**
   * @param allowedIncrease the ratio at and below which the canary is acceptable (the harm test's
   *     null): 1 means any significant increase counts
   * @param maxIncrease the ratio from which the canary is unacceptable (the safety test's null):
   *     passing means showing the ratio is below it
   */
  public RateRatioEvidence(double allowedIncrease, double maxIncrease) {
    if (!(allowedIncrease >= 1) || !(maxIncrease > 1) || maxIncrease > Math.exp(MAX_LOG)) {
      throw new IllegalArgumentException(
          "allowedIncrease must be at least 1 and maxIncrease in (1, 16]");
    }
    this.harmNull = Math.log(allowedIncrease);
    this.safeNull = Math.log(maxIncrease);
  }

  /** One poll: bad events and requests of both sides over the same window. */
  public record Poll(
      double canaryBad, double canaryTotal, double baselineBad, double baselineTotal) {

    /** Counts that cannot be (negative, more bad than total, not finite), named; null if sound. */
    public @Nullable String problem() {
      double[] all = {canaryBad, canaryTotal, baselineBad, baselineTotal};
      for (double v : all) {
        if (!Double.isFinite(v) || v < 0) {
          return "counts must be finite and not negative";
        }
      }
      if (canaryBad > canaryTotal * (1 + 1e-9) + 1e-9
          || baselineBad > baselineTotal * (1 + 1e-9) + 1e-9) {
        return "bad events exceed all events";
      }
      return null;
    }
  }

  static double delta(int j) {
    return -MAX_LOG + STEP * j;
  }

  private static double logMix(double q, double delta) {
    // log(1 - q + q e^δ), stable for δ of either sign
    return delta > 0
        ? delta + Math.log(q + (1 - q) * Math.exp(-delta))
        : Math.log1p(q * Math.expm1(delta));
  }

  /** Adds one poll. A poll in which either side served nothing carries no comparison. */
  public void add(Poll p) {
    String problem = p.problem();
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    canaryBad += p.canaryBad();
    canaryTotal += p.canaryTotal();
    baselineBad += p.baselineBad();
    baselineTotal += p.baselineTotal();
    polls++;
    if (p.canaryTotal() <= 0 || p.baselineTotal() <= 0) {
      return;
    }
    double b = Math.min(p.canaryBad(), p.canaryTotal());
    double e = b + Math.min(p.baselineBad(), p.baselineTotal());
    if (e <= 0) {
      return; // no bad event: nothing to split, nothing learned
    }
    double q = p.canaryTotal() / (p.canaryTotal() + p.baselineTotal());
    // One weight for polls of every size: the correlation from earlier polls, the typical number
    // of bad events a poll holds. A weight that fell with the poll's own e would favour the small
    // polls, and under overdispersion those are the ones where the canary looks worst (a burst on
    // the baseline's side makes e large and the canary's share small): a bias, not a tempering.
    double typical = e;
    for (int i = 0; i < recentCount; i++) {
      typical += recentE[i];
    }
    typical /= recentCount + 1;
    double w = 1 / (1 + rho * (typical - 1));
    for (int j = 0; j < GRID; j++) {
      g[j] += w * e * logMix(q, delta(j));
    }
    gHarm += w * e * logMix(q, harmNull);
    gSafe += w * e * logMix(q, safeNull);
    bWeighted += w * b;
    eWeighted += w * e;
    remember(b, e, q);
    rho = estimateCorrelation();
  }

  private void remember(double b, double e, double q) {
    recentB[recentNext] = b;
    recentE[recentNext] = e;
    recentQ[recentNext] = q;
    recentNext = (recentNext + 1) % WINDOW;
    recentCount = Math.min(recentCount + 1, WINDOW);
  }

  /**
   * The extra-binomial correlation of bad events within a poll, by the method of moments on the
   * recent polls' Pearson residuals around the current ratio: a poll of {@code e} events varies
   * {@code 1 + ρ(e − 1)} times as much as a binomial one (the beta-binomial form). Shrunk towards
   * the prior while the polls are few; never below 0. Polls with one event carry no information
   * about it: one event is a Bernoulli draw under any dispersion.
   */
  private double estimateCorrelation() {
    double delta = Math.log(estimate());
    double excess = 0;
    double pairs = 0;
    for (int i = 0; i < recentCount; i++) {
      double e = recentE[i];
      if (e < 2) {
        continue;
      }
      double q = recentQ[i];
      double theta = q * Math.exp(delta) / (1 - q + q * Math.exp(delta));
      double variance = e * theta * (1 - theta);
      if (variance <= 1e-12) {
        continue;
      }
      double r = recentB[i] - e * theta;
      excess += r * r / variance - 1;
      pairs += e - 1;
    }
    return Math.max(0, (excess + PRIOR_RHO * PRIOR_PAIRS) / (pairs + PRIOR_PAIRS));
  }

  private double logLikelihood(int j) {
    return delta(j) * bWeighted - g[j];
  }

  /** The maximum-likelihood rate ratio, on the grid refined by a parabola; 1 without events. */
  public double estimate() {
    if (eWeighted <= 0) {
      return 1;
    }
    int best = 0;
    for (int j = 1; j < GRID; j++) {
      if (logLikelihood(j) > logLikelihood(best)) {
        best = j;
      }
    }
    double d = delta(best);
    if (best > 0 && best < GRID - 1) {
      double l0 = logLikelihood(best - 1);
      double l1 = logLikelihood(best);
      double l2 = logLikelihood(best + 1);
      double denominator = l0 - 2 * l1 + l2;
      if (denominator < 0) {
        d += STEP * 0.5 * (l0 - l2) / denominator;
      }
    }
    return Math.exp(d);
  }

  /**
   * Evidence that the canary is worse than {@code allowedIncrease} times the baseline: a mixture of
   * likelihood ratios over ratios above that null. Reaching {@code 1/α} rolls back.
   */
  public double harmEvidence() {
    return mixture(harmNull, gHarm, true, HARM_SCALE);
  }

  /**
   * Evidence that the canary is less than {@code maxIncrease} times worse than the baseline:
   * reaching {@code 1/α} shows non-inferiority.
   */
  public double safetyEvidence() {
    return mixture(safeNull, gSafe, false, SAFE_SCALE);
  }

  /**
   * A mixture of likelihood ratios of grid ratios on one side of {@code nullDelta}, weighted by a
   * Rayleigh prior on their distance from it.
   */
  private double mixture(double nullDelta, double gNull, boolean above, double scale) {
    double lNull = nullDelta * bWeighted - gNull;
    double maxTerm = Double.NEGATIVE_INFINITY;
    double[] terms = new double[GRID];
    double weightSum = 0;
    for (int j = 0; j < GRID; j++) {
      double distance = above ? delta(j) - nullDelta : nullDelta - delta(j);
      if (distance <= 1e-9) {
        terms[j] = Double.NaN;
        continue;
      }
      double logWeight = Math.log(distance) - 0.5 * (distance / scale) * (distance / scale);
      weightSum += Math.exp(logWeight);
      terms[j] = logWeight + logLikelihood(j) - lNull;
      maxTerm = Math.max(maxTerm, terms[j]);
    }
    if (weightSum == 0) {
      return 1;
    }
    double sum = 0;
    for (double t : terms) {
      if (!Double.isNaN(t)) {
        sum += Math.exp(t - maxTerm);
      }
    }
    return Math.exp(maxTerm + Math.log(sum) - Math.log(weightSum));
  }

  /**
   * An anytime-valid confidence sequence for the rate ratio at level {@code 1 − alpha}: the grid
   * ratios around the estimate that a two-sided mixture test does not reject. Ratios beyond
   * 1/16..16 are shown as the ends of the grid.
   */
  public double[] confidenceSequence(double alpha) {
    double threshold = Math.log(1 / alpha);
    int best = 0;
    for (int j = 1; j < GRID; j++) {
      if (logLikelihood(j) > logLikelihood(best)) {
        best = j;
      }
    }
    if (rejected(best, threshold)) {
      double r = estimate();
      return new double[] {r, r};
    }
    // the likelihood is concave in δ: the ratios kept form an interval around its peak, whose
    // ends are found by bisection
    int lo = best;
    int rejectedBelow = -1; // the largest index known rejected below the peak, -1: none
    if (!rejected(0, threshold)) {
      lo = 0;
    } else {
      rejectedBelow = 0;
      while (lo - rejectedBelow > 1) {
        int mid = (lo + rejectedBelow) >>> 1;
        if (rejected(mid, threshold)) {
          rejectedBelow = mid;
        } else {
          lo = mid;
        }
      }
    }
    int hi = best;
    if (!rejected(GRID - 1, threshold)) {
      hi = GRID - 1;
    } else {
      int rejectedAbove = GRID - 1;
      while (rejectedAbove - hi > 1) {
        int mid = (hi + rejectedAbove) >>> 1;
        if (rejected(mid, threshold)) {
          rejectedAbove = mid;
        } else {
          hi = mid;
        }
      }
    }
    return new double[] {Math.exp(delta(lo)), Math.exp(delta(hi))};
  }

  /** Whether the two one-sided mixtures around grid ratio {@code k}, averaged, reject it. */
  private boolean rejected(int k, double logThreshold) {
    double lNull = logLikelihood(k);
    double upper = logMixtureAround(k, lNull, true);
    double lower = logMixtureAround(k, lNull, false);
    double max = Math.max(upper, lower);
    double log = max + Math.log(0.5 * Math.exp(upper - max) + 0.5 * Math.exp(lower - max));
    return log >= logThreshold;
  }

  private double logMixtureAround(int k, double lNull, boolean above) {
    double max = Double.NEGATIVE_INFINITY;
    double[] terms = new double[GRID];
    double weightSum = 0;
    for (int j = 0; j < GRID; j++) {
      int distanceSteps = above ? j - k : k - j;
      if (distanceSteps <= 0) {
        terms[j] = Double.NaN;
        continue;
      }
      double distance = distanceSteps * STEP;
      double logWeight = Math.log(csWeight(distance));
      weightSum += Math.exp(logWeight);
      terms[j] = logWeight + logLikelihood(j) - lNull;
      max = Math.max(max, terms[j]);
    }
    if (weightSum == 0) {
      return 0;
    }
    double sum = 0;
    for (double t : terms) {
      if (!Double.isNaN(t)) {
        sum += Math.exp(t - max);
      }
    }
    return max + Math.log(sum) - Math.log(weightSum);
  }

  public double canaryBad() {
    return canaryBad;
  }

  public double canaryTotal() {
    return canaryTotal;
  }

  public double baselineBad() {
    return baselineBad;
  }

  public double baselineTotal() {
    return baselineTotal;
  }

  public int polls() {
    return polls;
  }

  /** Bad events seen on both sides. */
  public double events() {
    return canaryBad + baselineBad;
  }

  /** The estimated extra-binomial correlation of bad events within a poll. */
  public double correlation() {
    return rho;
  }

  /** The state as named numbers, to be kept between polls. */
  public Map<String, Double> toState() {
    Map<String, Double> s = new TreeMap<>();
    for (int j = 0; j < GRID; j++) {
      s.put("g" + j, g[j]);
    }
    s.put("gHarm", gHarm);
    s.put("gSafe", gSafe);
    s.put("b", bWeighted);
    s.put("e", eWeighted);
    s.put("canaryBad", canaryBad);
    s.put("canaryTotal", canaryTotal);
    s.put("baselineBad", baselineBad);
    s.put("baselineTotal", baselineTotal);
    s.put("polls", (double) polls);
    s.put("rho", rho);
    s.put("recentCount", (double) recentCount);
    s.put("recentNext", (double) recentNext);
    for (int i = 0; i < recentCount; i++) {
      s.put("rb" + i, recentB[i]);
      s.put("re" + i, recentE[i]);
      s.put("rq" + i, recentQ[i]);
    }
    return s;
  }

  /**
   * Evidence restored from {@link #toState()}; an empty state starts afresh.
   *
   * @throws IllegalArgumentException when the state is not one this class wrote
   */
  public static RateRatioEvidence fromState(
      Map<String, Double> s, double allowedIncrease, double maxIncrease) {
    RateRatioEvidence r = new RateRatioEvidence(allowedIncrease, maxIncrease);
    if (s.isEmpty()) {
      return r;
    }
    for (int j = 0; j < GRID; j++) {
      r.g[j] = need(s, "g" + j);
    }
    r.gHarm = need(s, "gHarm");
    r.gSafe = need(s, "gSafe");
    r.bWeighted = need(s, "b");
    r.eWeighted = need(s, "e");
    r.canaryBad = need(s, "canaryBad");
    r.canaryTotal = need(s, "canaryTotal");
    r.baselineBad = need(s, "baselineBad");
    r.baselineTotal = need(s, "baselineTotal");
    r.polls = (int) need(s, "polls");
    r.rho = need(s, "rho");
    r.recentCount = Math.min(WINDOW, (int) need(s, "recentCount"));
    r.recentNext = ((int) need(s, "recentNext")) % WINDOW;
    for (int i = 0; i < r.recentCount; i++) {
      r.recentB[i] = need(s, "rb" + i);
      r.recentE[i] = need(s, "re" + i);
      r.recentQ[i] = need(s, "rq" + i);
    }
    return r;
  }

  private static double need(Map<String, Double> s, String key) {
    Double v = s.get(key);
    if (v == null || !Double.isFinite(v)) {
      throw new IllegalArgumentException("the evidence state lacks " + key);
    }
    return v;
  }

  @Override
  public String toString() {
    return "RateRatioEvidence[polls="
        + polls
        + ", canary "
        + canaryBad
        + "/"
        + canaryTotal
        + ", baseline "
        + baselineBad
        + "/"
        + baselineTotal
        + ", g="
        + Arrays.toString(Arrays.copyOf(g, 3))
        + "...]";
  }
}
