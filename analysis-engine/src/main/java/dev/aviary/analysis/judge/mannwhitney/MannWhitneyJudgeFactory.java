package dev.aviary.analysis.judge.mannwhitney;

import dev.aviary.analysis.judge.DataShape;
import dev.aviary.analysis.judge.JudgeFactory;
import dev.aviary.analysis.judge.JudgeOptions;
import dev.aviary.kernel.SettingsReader;
import java.util.Set;

/** Kayenta's fixed-horizon rank test on series, with its confidence and tolerance settable. */
public final class MannWhitneyJudgeFactory implements JudgeFactory {

  @Override
  public String type() {
    return MannWhitneyJudge.TYPE;
  }

  @Override
  public Set<DataShape> shapes() {
    return Set.of(DataShape.SERIES);
  }

  @Override
  public Set<DataShape> defaultFor() {
    return Set.of(DataShape.SERIES);
  }

  @Override
  public JudgeOptions defaults() {
    return MannWhitneyOptions.DEFAULT;
  }

  @Override
  public JudgeOptions read(SettingsReader j) {
    Double confidence = j.number("confidence", MannWhitneyJudge.DEFAULT_CONFIDENCE, 0.5, 0.999999);
    Double tolerance = j.number("tolerance", MannWhitneyJudge.DEFAULT_TOLERANCE, 0, 10);
    j.rejectUnknown();
    return new MannWhitneyOptions(
        confidence == null ? MannWhitneyJudge.DEFAULT_CONFIDENCE : confidence,
        tolerance == null ? MannWhitneyJudge.DEFAULT_TOLERANCE : tolerance);
  }
}
