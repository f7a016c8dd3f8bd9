package dev.aviary.analysis.judge.sequential;

import dev.aviary.analysis.judge.DataShape;
import dev.aviary.analysis.judge.JudgeFactory;
import dev.aviary.analysis.judge.JudgeOptions;
import dev.aviary.kernel.SettingsReader;
import java.util.Set;

/** The anytime-valid judge of counts and latency histograms, and their default. */
public final class SequentialJudgeFactory implements JudgeFactory {

  @Override
  public String type() {
    return SequentialJudge.TYPE;
  }

  @Override
  public Set<DataShape> shapes() {
    return Set.of(DataShape.COUNTS, DataShape.HISTOGRAM);
  }

  @Override
  public Set<DataShape> defaultFor() {
    return Set.of(DataShape.COUNTS, DataShape.HISTOGRAM);
  }

  @Override
  public JudgeOptions defaults() {
    return SequentialOptions.DEFAULT;
  }

  @Override
  public JudgeOptions read(SettingsReader j) {
    SequentialOptions d = SequentialOptions.DEFAULT;
    double alpha = j.number("alpha", d.alpha(), 1e-9, 0.5);
    double allowed = j.number("allowedIncrease", d.allowedIncrease(), 1, 15);
    double max = j.number("maxIncrease", d.maxIncrease(), 1.01, 16);
    double below = j.number("passBelow", SequentialOptions.DEFAULT_PASS_BELOW, 0, 0.5);
    j.rejectUnknown();
    if (max <= allowed) {
      j.violation("maxIncrease", "must exceed allowedIncrease (" + allowed + ")");
      return d;
    }
    return new SequentialOptions(alpha, allowed, max, below > 0 ? below : null);
  }
}
