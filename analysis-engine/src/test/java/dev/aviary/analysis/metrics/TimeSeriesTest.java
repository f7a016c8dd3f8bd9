package dev.aviary.analysis.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.analysis.FatalAnalysisException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimeSeriesTest {

  private final TimeSeries a =
      new TimeSeries(Map.of("pod", "a"), new long[] {1, 2, 3}, new double[] {1, Double.NaN, 3});
  private final TimeSeries b =
      new TimeSeries(Map.of("pod", "b"), new long[] {2, 3}, new double[] {10, 30});

  @Test
  void combinesPointByPointOverTheUnionOfTimestamps() {
    assertThat(TimeSeries.combine(List.of(a, b), SeriesAggregation.SUM).values())
        .containsExactly(1, 10, 33);
    assertThat(TimeSeries.combine(List.of(a, b), SeriesAggregation.AVG).values())
        .containsExactly(1, 10, 16.5);
    assertThat(TimeSeries.combine(List.of(a, b), SeriesAggregation.MAX).values())
        .containsExactly(1, 10, 30);
  }

  @Test
  void refusesSeveralSeriesWithoutAnAggregation() {
    assertThatThrownBy(() -> TimeSeries.combine(List.of(a, b), SeriesAggregation.NONE))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("2 series where one was expected")
        .hasMessageContaining("{pod=a}");
  }

  @Test
  void templatesRenderKnownVariablesAndStartEnd() {
    MetricQuery q =
        new MetricQuery(
            "rate(x{v=\"${version}\"}[${interval}]) @ ${end}",
            Map.of("version", "1.4.2", "interval", "30s"),
            java.time.Instant.ofEpochSecond(100),
            java.time.Instant.ofEpochSecond(160),
            null,
            null);
    assertThat(q.rendered(QueryLanguage.PROMQL)).isEqualTo("rate(x{v=\"1.4.2\"}[30s]) @ 160");
    assertThat(QueryTemplate.variablesOf(q.template()))
        .containsExactly("end", "interval", "version");
  }
}
