package dev.aviary.analysis.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.RetryableAnalysisException;
import dev.aviary.analysis.metrics.MetricData;
import dev.aviary.analysis.metrics.SeriesAggregation;
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
}
