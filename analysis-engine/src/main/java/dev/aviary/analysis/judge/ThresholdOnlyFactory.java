package dev.aviary.analysis.judge;

import dev.aviary.kernel.SettingsReader;
import java.util.Map;
import java.util.Set;

/**
 * {@code judge: {type: threshold}}: no comparison with a baseline, only each metric's own bounds.
 * The threshold judge itself runs for every metric that has bounds, whatever judge compares it.
 */
public final class ThresholdOnlyFactory implements JudgeFactory {

  /** The options of the threshold-only judging: there are none. */
  public record Options() implements JudgeOptions {
    @Override
    public String type() {
      return ThresholdJudge.TYPE;
    }

    @Override
    public Map<String, Object> toDocument() {
      return Map.of("type", ThresholdJudge.TYPE);
    }

    @Override
    public Judge judge() {
      return new ThresholdJudge();
    }
  }

  @Override
  public String type() {
    return ThresholdJudge.TYPE;
  }

  @Override
  public Set<DataShape> shapes() {
    return Set.of(DataShape.SERIES, DataShape.COUNTS);
  }

  @Override
  public boolean comparesWithBaseline() {
    return false;
  }

  @Override
  public JudgeOptions defaults() {
    return new Options();
  }

  @Override
  public JudgeOptions read(SettingsReader options) {
    options.rejectUnknown();
    return new Options();
  }
}
