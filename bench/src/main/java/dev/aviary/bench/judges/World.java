package dev.aviary.bench.judges;

import dev.aviary.testing.Sampling;
import java.util.SplittableRandom;

/**
 * A simulated service seen through its metrics, one poll every 10 seconds: requests arrive as a
 * Poisson process and are split between canary and baseline by the canary's weight; each request
 * fails with the side's error rate and takes a log-normal time, counted into Prometheus-like
 * latency buckets.
 *
 * @param name the case, as the tables show it
 * @param requestsPerSecond all traffic, both sides
 * @param errorRate the baseline's error rate
 * @param errorRatio the canary's error rate over the baseline's
 * @param regressionAfterSeconds when the canary's regression starts (0: from the start)
 * @param shockShare the share of polls in which a load shock multiplies both sides' error rates
 * @param shockFactor that multiple
 * @param dispersionShape extra-binomial variation: each side's rate is multiplied every poll by a
 *     Gamma(shape, 1/shape) draw (0: none)
 * @param latencyScale the canary's latency over the baseline's, for every request
 * @param tailFactor the canary's slowest 1 % take this many times longer (median unchanged)
 */
public record World(
    String name,
    double requestsPerSecond,
    double errorRate,
    double errorRatio,
    int regressionAfterSeconds,
    double shockShare,
    double shockFactor,
    double dispersionShape,
    double latencyScale,
    double tailFactor) {

  public static final int POLL_SECONDS = 10;

  /** Latency bucket bounds in seconds, as a service's histogram would have them. */
  static final double[] BOUNDS = {
    0.005,
    0.01,
    0.025,
    0.05,
    0.075,
    0.1,
    0.125,
    0.15,
    0.2,
    0.25,
    0.3,
    0.4,
    0.5,
    0.75,
    1,
    1.5,
    2.5,
    5,
    Double.POSITIVE_INFINITY
  };

  /** Median latency of the baseline, and the spread of the logarithm. */
  static final double MEDIAN_SECONDS = 0.1;

  static final double SIGMA = 0.5;

  /** The standard normal's 99th percentile: beyond it lies the slowest 1 %. */
  static final double Z99 = 2.3263478740408408;

  public static World healthy(String name) {
    return new World(name, 100, 0.01, 1, 0, 0, 1, 0, 1, 1);
  }

  public World errors(double ratio) {
    return new World(
        name,
        requestsPerSecond,
        errorRate,
        ratio,
        regressionAfterSeconds,
        shockShare,
        shockFactor,
        dispersionShape,
        latencyScale,
        tailFactor);
  }

  public World named(String newName) {
    return new World(
        newName,
        requestsPerSecond,
        errorRate,
        errorRatio,
        regressionAfterSeconds,
        shockShare,
        shockFactor,
        dispersionShape,
        latencyScale,
        tailFactor);
  }

  public World traffic(double rps) {
    return new World(
        name,
        rps,
        errorRate,
        errorRatio,
        regressionAfterSeconds,
        shockShare,
        shockFactor,
        dispersionShape,
        latencyScale,
        tailFactor);
  }

  public World after(int seconds) {
    return new World(
        name,
        requestsPerSecond,
        errorRate,
        errorRatio,
        seconds,
        shockShare,
        shockFactor,
        dispersionShape,
        latencyScale,
        tailFactor);
  }

  public World shocks(double share, double factor) {
    return new World(
        name,
        requestsPerSecond,
        errorRate,
        errorRatio,
        regressionAfterSeconds,
        share,
        factor,
        dispersionShape,
        latencyScale,
        tailFactor);
  }

  public World overdispersed(double shape) {
    return new World(
        name,
        requestsPerSecond,
        errorRate,
        errorRatio,
        regressionAfterSeconds,
        shockShare,
        shockFactor,
        shape,
        latencyScale,
        tailFactor);
  }

  public World latency(double scale, double tail) {
    return new World(
        name,
        requestsPerSecond,
        errorRate,
        errorRatio,
        regressionAfterSeconds,
        shockShare,
        shockFactor,
        dispersionShape,
        scale,
        tail);
  }

  /** Whether the canary is as good as its baseline in everything this world measures. */
  public boolean healthy() {
    return errorRatio <= 1 && latencyScale <= 1 && tailFactor <= 1;
  }

  /** The canary's true error ratio at time {@code seconds}. */
  public double ratioAt(int seconds) {
    return seconds > regressionAfterSeconds ? errorRatio : 1;
  }

  /**
   * One poll's counts of both sides.
   *
   * @param canaryBad the canary's failed requests
   * @param canaryTotal all its requests
   * @param baselineBad the baseline's failed requests
   * @param baselineTotal all its requests
   * @param canaryBuckets the canary's cumulative latency counts per bound of {@link #BOUNDS}
   * @param baselineBuckets the baseline's
   */
  @SuppressWarnings("ArrayRecordComponent")
  public record Poll(
      double canaryBad,
      double canaryTotal,
      double baselineBad,
      double baselineTotal,
      double[] canaryBuckets,
      double[] baselineBuckets) {}

  /** The poll that ends at {@code seconds}, with the canary at {@code weight} percent. */
  public Poll poll(SplittableRandom random, int seconds, int weight, boolean withLatency) {
    double requests = requestsPerSecond * POLL_SECONDS;
    double canaryMean = requests * weight / 100.0;
    double baselineMean = requests - canaryMean;
    double shock = random.nextDouble() < shockShare ? shockFactor : 1;
    double baselineRate = errorRate * shock * dispersion(random);
    double canaryRate =
        errorRate
            * (seconds > regressionAfterSeconds ? errorRatio : 1)
            * shock
            * dispersion(random);
    double cb = Sampling.poisson(random, canaryMean * Math.min(1, canaryRate));
    double cg = Sampling.poisson(random, canaryMean * Math.max(0, 1 - canaryRate));
    double bb = Sampling.poisson(random, baselineMean * Math.min(1, baselineRate));
    double bg = Sampling.poisson(random, baselineMean * Math.max(0, 1 - baselineRate));
    double[] canaryBuckets = null;
    double[] baselineBuckets = null;
    if (withLatency) {
      boolean regressed = seconds > regressionAfterSeconds;
      canaryBuckets =
          buckets(random, cb + cg, regressed ? latencyScale : 1, regressed ? tailFactor : 1);
      baselineBuckets = buckets(random, bb + bg, 1, 1);
    }
    return new Poll(
        cb,
        cb + cg,
        bb,
        bb + bg,
        canaryBuckets == null ? new double[0] : canaryBuckets,
        baselineBuckets == null ? new double[0] : baselineBuckets);
  }

  private double dispersion(SplittableRandom random) {
    return dispersionShape > 0 ? Sampling.gamma(random, dispersionShape) : 1;
  }

  /**
   * Cumulative bucket counts of {@code n} requests: the counts per bucket are multinomial, drawn as
   * successive binomials of what is left.
   */
  private static double[] buckets(SplittableRandom random, double n, double scale, double tail) {
    double[] cumulative = new double[BOUNDS.length];
    double left = n;
    double below = 0;
    double probabilityLeft = 1;
    double previousCdf = 0;
    for (int i = 0; i < BOUNDS.length; i++) {
      double cdf = Double.isInfinite(BOUNDS[i]) ? 1 : cdf(BOUNDS[i], scale, tail);
      double p = probabilityLeft <= 0 ? 0 : Math.min(1, (cdf - previousCdf) / probabilityLeft);
      double k = i == BOUNDS.length - 1 ? left : binomial(random, left, p);
      below += k;
      left -= k;
      probabilityLeft -= cdf - previousCdf;
      previousCdf = cdf;
      cumulative[i] = below;
    }
    return cumulative;
  }

  private static double binomial(SplittableRandom random, double n, double p) {
    if (n <= 0 || p <= 0) {
      return 0;
    }
    if (p >= 1) {
      return n;
    }
    double mean = n * p;
    double variance = mean * (1 - p);
    if (variance > 50) {
      // the normal approximation, far from both ends: fast and accurate enough at these counts
      double draw = Math.rint(mean + Math.sqrt(variance) * random.nextGaussian());
      return Math.max(0, Math.min(n, draw));
    }
    return Sampling.binomial(random, (int) n, p);
  }

  /**
   * P(latency ≤ x) of a log-normal request time with median {@code 0.1 s × scale}, whose slowest 1
   * % is slowed {@code tail} times.
   */
  static double cdf(double x, double scale, double tail) {
    double median = MEDIAN_SECONDS * scale;
    double zPlain = Math.log(x / median) / SIGMA;
    double zSlowed = Math.log(x / (median * tail)) / SIGMA;
    double plain = phi(Math.min(zPlain, Z99));
    double slowed = zSlowed > Z99 ? phi(zSlowed) - phi(Z99) : 0;
    return plain + slowed;
  }

  /** The standard normal distribution function (Abramowitz and Stegun 26.2.17, |ε| < 7.5e-8). */
  static double phi(double z) {
    if (z < -8) {
      return 0;
    }
    if (z > 8) {
      return 1;
    }
    double t = 1 / (1 + 0.2316419 * Math.abs(z));
    double poly =
        t
            * (0.319381530
                + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
    double upper = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI) * poly;
    return z >= 0 ? 1 - upper : upper;
  }
}
