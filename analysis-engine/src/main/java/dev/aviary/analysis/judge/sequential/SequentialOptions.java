package dev.aviary.analysis.judge.sequential;

import dev.aviary.analysis.judge.Judge;
import dev.aviary.analysis.judge.JudgeOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Options of the sequential judge.
 *
 * @param alpha the most a canary as good as its baseline (up to {@code allowedIncrease}) may ever
 *     be rolled back, over the whole rollout, shared by the analysis's sequential metrics
 * @param allowedIncrease the rate ratio canary/baseline tolerated without rolling back; 1 means any
 *     increase, once proven, rolls back
 * @param maxIncrease the ratio the canary must be shown to be below before it passes
 *     (non-inferiority)
 * @param passBelow for count metrics: the canary also passes when its own rate is shown below this
 *     absolute share (a quiet service without errors on either side); null (written 0): only by the
 *     ratio
 */
public record SequentialOptions(
    double alpha, double allowedIncrease, double maxIncrease, @Nullable Double passBelow)
    implements JudgeOptions {

  public static final double DEFAULT_ALPHA = 0.01;
  public static final double DEFAULT_ALLOWED_INCREASE = 1.0;
  public static final double DEFAULT_MAX_INCREASE = 1.5;
  public static final double DEFAULT_PASS_BELOW = 0.001;

  public static final SequentialOptions DEFAULT =
      new SequentialOptions(
          DEFAULT_ALPHA, DEFAULT_ALLOWED_INCREASE, DEFAULT_MAX_INCREASE, DEFAULT_PASS_BELOW);

  public SequentialOptions {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must lie in (0, 1)");
    }
    if (!(allowedIncrease >= 1) || !(maxIncrease > allowedIncrease) || maxIncrease > 16) {
      throw new IllegalArgumentException(
          "need 1 <= allowedIncrease < maxIncrease <= 16, were "
              + allowedIncrease
              + " and "
              + maxIncrease);
    }
    if (passBelow != null && !(passBelow > 0 && passBelow < 1)) {
      throw new IllegalArgumentException("passBelow must lie in (0, 1)");
    }
  }

  @Override
  public String type() {
    return SequentialJudge.TYPE;
  }

  @Override
  public Map<String, Object> toDocument() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type());
    m.put("alpha", alpha);
    m.put("allowedIncrease", allowedIncrease);
    m.put("maxIncrease", maxIncrease);
    m.put("passBelow", passBelow == null ? 0.0 : passBelow);
    return m;
  }

  @Override
  public Judge judge() {
    return new SequentialJudge(this);
  }
}
