package dev.aviary.controller.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.analysis.RetryableAnalysisException;
import dev.aviary.analysis.judge.EffectSize;
import dev.aviary.analysis.judge.JudgeState;
import dev.aviary.analysis.judge.MetricSpec;
import dev.aviary.analysis.judge.Reducer;
import dev.aviary.analysis.judge.ScoreThresholds;
import dev.aviary.analysis.judge.Threshold;
import dev.aviary.analysis.judge.ThresholdOnlyFactory;
import dev.aviary.analysis.metrics.MetricData;
import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.MetricProviders;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.SeriesAggregation;
import dev.aviary.controller.plan.AnalysisSpec;
import dev.aviary.controller.plan.MetricDefinition;
import dev.aviary.controller.platform.RemoteCalls;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.kernel.SettingViolation;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Plans share metric backends (one Prometheus for everyone). A query of one plan that keeps failing
 * — one that times out, say — opens that plan's breaker, not the backend's for every plan: the
 * other plans' analyses still fetch, and the first cause stays visible in the failing one's.
 */
class MetricBreakersTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  /** One backend for every plan; the query of plan "broken" times out on it. */
  private final MetricProviderFactory shared =
      new MetricProviderFactory() {
        @Override
        public String type() {
          return "shared";
        }

        @Override
        public List<SettingViolation> validate(Map<String, ?> settings) {
          return List.of();
        }

        @Override
        public MetricProvider create(Map<String, ?> settings, ProviderContext context) {
          return new MetricProvider() {
            @Override
            public String backend(MetricQuery query) {
              return "prometheus at prometheus:9090";
            }

            @Override
            public MetricData fetch(MetricQuery query) {
              if ("broken".equals(query.variables().get("plan"))) {
                throw new RetryableAnalysisException("the query timed out (HTTP 503)");
              }
              return new MetricData.Values(
                  new dev.aviary.analysis.metrics.TimeSeries(
                      Map.of(), new long[] {0}, new double[] {0.01}));
            }
          };
        }
      };

  private final AnalysisRunner runner =
      new AnalysisRunner(
          new MetricProviders(List.of(shared)),
          ProviderContext.of(SecretResolver.fromMap(Map.of())),
          new RemoteCalls(
              RetryRegistry.of(RetryConfig.custom().maxAttempts(1).build()),
              CircuitBreakerRegistry.of(
                  CircuitBreakerConfig.custom()
                      .minimumNumberOfCalls(2)
                      .slidingWindowSize(2)
                      .failureRateThreshold(50)
                      .waitDurationInOpenState(Duration.ofHours(1))
                      .recordException(new dev.aviary.controller.platform.RetryableFailure()::test)
                      .build())));

  private static AnalysisSpec analysis() {
    MetricDefinition metric =
        new MetricDefinition(
            new MetricDefinition.ProviderSpec("shared", Map.of()),
            new MetricDefinition.Source.Series("errors{version=\"${version}\"}", null),
            SeriesAggregation.NONE,
            MetricSpec.named("error-rate")
                .threshold(new Threshold(null, 0.02, Reducer.AVG))
                .effectSize(EffectSize.DEFAULT)
                .judge(new ThresholdOnlyFactory.Options())
                .build(),
            null);
    return new AnalysisSpec(
        Duration.ofMinutes(1),
        Duration.ZERO,
        List.of(metric),
        0,
        0,
        4,
        AnalysisSpec.ErrorAction.ROLLBACK,
        ScoreThresholds.DEFAULT,
        new ThresholdOnlyFactory.Options(),
        Map.of(),
        AnalysisSpec.DEFAULT_MAX_DURATION,
        AnalysisSpec.UndecidedAction.PAUSE);
  }

  private AnalysisRun analyse(String plan) {
    QueryVariables v =
        new QueryVariables(
            Map.of("plan", plan, "version", "2.0"), Map.of("plan", plan, "version", "1.9"));
    return runner.run(analysis(), v, T0, T0.plusSeconds(60), JudgeState.EMPTY);
  }

  @Test
  void oneFailingPlanOpensItsOwnBreakerOnly() {
    for (int i = 0; i < 3; i++) {
      assertThat(analyse("broken").outcome()).isEqualTo(AnalysisOutcome.ERROR);
    }
    AnalysisRun broken = analyse("broken");
    assertThat(broken.values().get(0).error())
        .contains("circuit breaker")
        .contains("for broken/error-rate");
    AnalysisRun healthy = analyse("healthy");
    assertThat(healthy.outcome()).isEqualTo(AnalysisOutcome.SUCCESS);
    assertThat(healthy.values().get(0).error()).isNull();
  }
}
