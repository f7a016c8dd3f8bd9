package dev.aviary.analysis.judge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThresholdJudgeTest {

  private final ThresholdJudge judge = new ThresholdJudge();

  private MetricResult classify(Threshold threshold, double... canary) {
    MetricSpec spec = MetricSpec.named("error_rate").threshold(threshold).build();
    return judge.classify(MetricInput.canaryOnly(spec, canary), JudgeContext.fresh());
  }

  @Test
  void aboveTheMaximumIsHigh() {
    MetricResult r = classify(new Threshold(null, 0.01, Reducer.AVG), 0.02, 0.03);
    assertThat(r.classification()).isEqualTo(Classification.HIGH);
    assertThat(r.value()).isEqualTo(0.025);
    assertThat(r.reason()).isEqualTo("avg 0.025 is above the maximum 0.01");
  }

  @Test
  void belowTheMinimumIsLow() {
    MetricResult r = classify(new Threshold(0.99, null, Reducer.AVG), 0.95, 0.97);
    assertThat(r.classification()).isEqualTo(Classification.LOW);
    assertThat(r.reason()).isEqualTo("avg 0.96 is below the minimum 0.99");
  }

  @Test
  void withinTheBoundsPasses() {
    MetricResult r = classify(new Threshold(0.0, 0.01, Reducer.AVG), 0.001, 0.002);
    assertThat(r.classification()).isEqualTo(Classification.PASS);
    assertThat(r.reason()).isEqualTo("avg 0.0015 is within [0, 0.01]");
  }

  @Test
  void theReducerDecidesWhichValueIsCompared() {
    double[] latencies = {100, 100, 100, 100, 100, 100, 100, 100, 100, 900};
    Threshold maxP50 = new Threshold(null, 200.0, Reducer.parse("median").orElseThrow());
    Threshold maxP99 = new Threshold(null, 200.0, Reducer.parse("p99").orElseThrow());
    Threshold maxLast = new Threshold(null, 200.0, Reducer.parse("last").orElseThrow());
    assertThat(classify(maxP50, latencies).classification()).isEqualTo(Classification.PASS);
    assertThat(classify(maxP99, latencies).classification()).isEqualTo(Classification.HIGH);
    assertThat(classify(maxLast, latencies).classification()).isEqualTo(Classification.HIGH);
  }

  @Test
  void gapsAreRemovedAndNoValuesAtAllIsNoDataNeverZero() {
    Threshold t = new Threshold(null, 0.01, Reducer.AVG);
    assertThat(classify(t, Double.NaN, 0.005).classification()).isEqualTo(Classification.PASS);
    MetricResult none = classify(t, Double.NaN, Double.NaN);
    assertThat(none.classification()).isEqualTo(Classification.NODATA);
    assertThat(none.value()).isNull();
  }

  @Test
  void aCriticalMetricOutsideItsBoundsIsACriticalFailure() {
    MetricSpec spec =
        MetricSpec.named("crashes")
            .critical(true)
            .threshold(new Threshold(null, 0.0, Reducer.parse("max").orElseThrow()))
            .build();
    MetricResult r = judge.classify(MetricInput.canaryOnly(spec, 0, 0, 1), JudgeContext.fresh());
    assertThat(r.criticalFailure()).isTrue();
  }
}
