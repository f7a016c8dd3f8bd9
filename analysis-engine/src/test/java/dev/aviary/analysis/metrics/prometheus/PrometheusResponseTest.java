package dev.aviary.analysis.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.RetryableAnalysisException;
import dev.aviary.analysis.metrics.MetricData;
import dev.aviary.analysis.metrics.SeriesAggregation;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/** How answers of the Prometheus API (documented shapes) are read. */
class PrometheusResponseTest {

  @Test
  void readsAMatrixWithGapsAndSpecialValues() {
    String body =
        """
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"version":"v2"},"values":[[1700000000,"0.5"],[1700000001,"NaN"],[1700000002,"+Inf"]]}]}}
        """;
    MetricData data = PrometheusProvider.parse(200, body, SeriesAggregation.NONE);
    assertThat(data.values()).containsExactly(0.5, Double.NaN, Double.POSITIVE_INFINITY);
    assertThat(((MetricData.Values) data).series().timestamps())
        .containsExactly(1700000000000L, 1700000001000L, 1700000002000L);
  }

  @Test
  void anEmptyResultIsNoDataNotZero() {
    String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
    assertThat(PrometheusProvider.parse(200, body, SeriesAggregation.NONE))
        .isInstanceOf(MetricData.NoData.class);
  }

  @Test
  void anExecutionErrorIsFatal() {
    String body =
        "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"many-to-many matching not allowed\"}";
    assertThatThrownBy(() -> PrometheusProvider.parse(422, body, SeriesAggregation.NONE))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessage("Prometheus rejected the query (execution): many-to-many matching not allowed");
  }

  @Test
  void aTimeoutOrUnavailableErrorIsRetryable() {
    String body = "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out\"}";
    assertThatThrownBy(() -> PrometheusProvider.parse(503, body, SeriesAggregation.NONE))
        .isInstanceOf(RetryableAnalysisException.class);
  }

  @Test
  void overloadAndServerErrorsWithoutJsonAreRetryable() {
    assertThatThrownBy(() -> PrometheusProvider.parse(429, "slow down", SeriesAggregation.NONE))
        .isInstanceOf(RetryableAnalysisException.class)
        .hasMessageContaining("HTTP 429");
    assertThatThrownBy(
            () -> PrometheusProvider.parse(502, "<html>bad gateway</html>", SeriesAggregation.NONE))
        .isInstanceOf(RetryableAnalysisException.class);
  }

  @Test
  void aWrongPathIsFatal() {
    assertThatThrownBy(
            () -> PrometheusProvider.parse(404, "404 page not found", SeriesAggregation.NONE))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("HTTP 404");
  }

  @Test
  void aScalarIsOnePoint() {
    String body =
        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000.5,\"3\"]}}";
    assertThat(PrometheusProvider.parse(200, body, SeriesAggregation.NONE).values())
        .containsExactly(3.0);
  }

  @Test
  void rangeSelectorsLongerThanTheStepAreOverlappingPoints() {
    PrometheusProviderFactory factory = new PrometheusProviderFactory();
    Map<String, Object> range = Map.of("address", "http://127.0.0.1:9090");
    String overlapping = "sum(rate(http_requests_total{code=~\"5..\"}[1m]))";
    // default step: a 2 m window / 60 = 2 s, far below the 1 m every point averages over
    assertThat(factory.overlappingPoints(range, overlapping, Duration.ofMinutes(2)))
        .get(InstanceOfAssertFactories.STRING)
        .contains("[1m]", "2s step", "not independent", "\"counts\"");
    assertThat(
            factory.overlappingPoints(
                Map.of("address", "http://127.0.0.1:9090", "step", "1m"),
                overlapping,
                Duration.ofMinutes(2)))
        .isEmpty();
    assertThat(
            factory.overlappingPoints(
                Map.of("address", "http://127.0.0.1:9090", "mode", "instant"),
                overlapping,
                Duration.ofMinutes(2)))
        .isEmpty();
    assertThat(factory.overlappingPoints(range, "sum(rate(x[${window}]))", Duration.ofMinutes(1)))
        .isPresent();
    assertThat(factory.overlappingPoints(range, "max_over_time(x[5m:30s])", Duration.ofMinutes(1)))
        .isPresent();
    assertThat(factory.overlappingPoints(range, "x{version=\"v2\"}", Duration.ofMinutes(1)))
        .isEmpty();
  }

  @Test
  void readsPromQlDurations() {
    assertThat(RangeSelectors.parse("1h30m")).contains(Duration.ofMinutes(90));
    assertThat(RangeSelectors.parse("250ms")).contains(Duration.ofMillis(250));
    assertThat(RangeSelectors.parse("2d")).contains(Duration.ofDays(2));
    assertThat(RangeSelectors.parse("1x")).isEmpty();
    assertThat(RangeSelectors.parse("")).isEmpty();
  }
}
