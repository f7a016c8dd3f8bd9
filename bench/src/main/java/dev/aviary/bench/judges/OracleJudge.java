package dev.aviary.bench.judges;

import dev.aviary.analysis.judge.Classification;
import dev.aviary.analysis.judge.Counts;
import dev.aviary.analysis.judge.Judge;
import dev.aviary.analysis.judge.JudgeContext;
import dev.aviary.analysis.judge.MetricInput;
import dev.aviary.analysis.judge.MetricResult;
import java.util.Map;

/**
 * The yardstick: Wald's sequential probability ratio tests on the same conditional-binomial split
 * of errors as the sequential judge, but knowing the canary's true error ratio — the fastest any
 * test of the same error rates can be on average. Harm: the true ratio (1.5 when the canary is
 * healthy) against 1; safety: the true ratio (1 when it is worse) against {@code maxIncrease}. Both
 * at {@code 1/α}, α shared among the metrics as the sequential judge shares it.
 */
final class OracleJudge implements Judge {

  private final World world;
  private final int[] clock;
  private final double alpha;
  private final double maxIncrease;

  OracleJudge(World world, int[] clock, double alpha, double maxIncrease) {
    this.world = world;
    this.clock = clock;
    this.alpha = alpha;
    this.maxIncrease = maxIncrease;
  }

  @Override
  public String type() {
    return "oracle";
  }

  @Override
  public MetricResult classify(MetricInput input, JudgeContext context) {
    Counts c = input.counts();
    if (c == null) {
      return MetricResult.simple(input.spec(), type(), Classification.ERROR, "counts only");
    }
    double threshold = Math.log(context.family() / alpha);
    double truth = world.ratioAt(clock[0]);
    double harmAlternative = world.errorRatio() > 1 ? world.errorRatio() : 1.5;
    double safeAlternative = truth < maxIncrease ? truth : 1;
    double harm = context.memory().get("harm", 0);
    double safe = context.memory().get("safe", 0);
    if (c.canaryTotal() > 0 && c.baselineTotal() > 0) {
      double q = c.canaryTotal() / (c.canaryTotal() + c.baselineTotal());
      double events = c.canaryBad() + c.baselineBad();
      harm += logRatio(c.canaryBad(), events, q, harmAlternative, 1);
      safe += logRatio(c.canaryBad(), events, q, safeAlternative, maxIncrease);
    }
    context.memory().put("harm", harm);
    context.memory().put("safe", safe);
    boolean passed = context.memory().get("passed", 0) > 0 || safe >= threshold;
    Classification classification =
        harm >= threshold
            ? Classification.HIGH
            : passed ? Classification.PASS : Classification.UNDECIDED;
    if (classification == Classification.PASS) {
      context.memory().put("passed", 1);
    }
    return new MetricResult(
        input.spec().name(),
        input.spec().group(),
        classification,
        classification == Classification.HIGH,
        type(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        Map.of("harm", harm, "safe", safe),
        "oracle");
  }

  /** The log likelihood ratio of ratio r1 against r0 for b of e errors on the canary's side. */
  private static double logRatio(double b, double e, double q, double r1, double r0) {
    double t1 = q * r1 / (1 - q + q * r1);
    double t0 = q * r0 / (1 - q + q * r0);
    return b * Math.log(t1 / t0) + (e - b) * Math.log((1 - t1) / (1 - t0));
  }
}
