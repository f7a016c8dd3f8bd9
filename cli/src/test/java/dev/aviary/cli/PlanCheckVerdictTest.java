package dev.aviary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When {@code plan check} says a metric gave nothing to judge (and exits 1). */
class PlanCheckVerdictTest {

  private static String missing(String metric) {
    return PlanCommand.Check.missing(ApiClient.JSON.readTree(metric));
  }

  @Test
  void aCountMetricWithRequestsOnBothSidesIsFine() {
    assertThat(
            missing(
                "{\"classification\": \"PASS\", \"counts\": {\"canaryBad\": 0, \"canaryTotal\": 300,"
                    + " \"baselineBad\": 2, \"baselineTotal\": 2700}}"))
        .isNull();
  }

  @Test
  void aTotalQueryThatMatchesNothingIsNamedThoughTheJudgeOnlyWaits() {
    assertThat(
            missing(
                "{\"classification\": \"UNDECIDED\", \"counts\": {\"canaryBad\": 0, \"canaryTotal\":"
                    + " 0, \"baselineBad\": 2, \"baselineTotal\": 2700}}"))
        .startsWith("no requests counted for the canary");
    assertThat(
            missing(
                "{\"classification\": \"UNDECIDED\", \"requests\": {\"canary\": 40, \"baseline\":"
                    + " 0}}"))
        .startsWith("no requests in the baseline's histogram");
  }

  @Test
  void noDataAndErrorsAreProblems() {
    assertThat(missing("{\"classification\": \"NODATA\", \"canary\": []}"))
        .isEqualTo("no data came back");
    assertThat(missing("{\"classification\": \"ERROR\", \"error\": \"connection refused\"}"))
        .isEqualTo("the query failed");
  }
}
