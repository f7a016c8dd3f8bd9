package dev.aviary.analysis.judge.mannwhitney;

import dev.aviary.analysis.judge.Judge;
import dev.aviary.analysis.judge.JudgeOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of the Mann-Whitney judge.
 *
 * @param confidence confidence level of the interval of the shift
 * @param tolerance the band around zero, as a fraction of the estimate, a shift must clear
 */
public record MannWhitneyOptions(double confidence, double tolerance) implements JudgeOptions {

  public static final MannWhitneyOptions DEFAULT =
      new MannWhitneyOptions(
          MannWhitneyJudge.DEFAULT_CONFIDENCE, MannWhitneyJudge.DEFAULT_TOLERANCE);

  @Override
  public String type() {
    return MannWhitneyJudge.TYPE;
  }

  @Override
  public Map<String, Object> toDocument() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type());
    m.put("confidence", confidence);
    m.put("tolerance", tolerance);
    return m;
  }

  @Override
  public Judge judge() {
    return new MannWhitneyJudge(confidence, tolerance);
  }
}
