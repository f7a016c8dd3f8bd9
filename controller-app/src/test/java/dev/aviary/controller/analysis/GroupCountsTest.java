package dev.aviary.controller.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.analysis.judge.Counts;
import dev.aviary.analysis.judge.EffectSize;
import dev.aviary.analysis.judge.JudgeState;
import dev.aviary.analysis.judge.MetricSpec;
import dev.aviary.analysis.judge.ScoreThresholds;
import dev.aviary.analysis.judge.sequential.SequentialOptions;
import dev.aviary.analysis.metrics.MetricData;
import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.MetricProviders;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.SeriesAggregation;
import dev.aviary.analysis.metrics.TimeSeries;
import dev.aviary.controller.plan.AnalysisSpec;
import dev.aviary.controller.plan.MetricDefinition;
import dev.aviary.controller.platform.RemoteCalls;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.kernel.SettingViolation;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Counts written per server group (a router's ready-made metric): the canary group's templates read
 * the canary and the stable group's the baseline — until a release goes to the stable group
 * (alternating slots), when the new version is read from the stable group's templates and the live
 * one from the canary group's.
 */
class GroupCountsTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  /** Each group's counters: what the backend holds for each template. */
  private static final Map<String, Double> BACKEND =
      Map.of("canary_bad", 30.0, "canary_all", 1000.0, "stable_bad", 10.0, "stable_all", 2000.0);

  private final MetricProviderFactory groups =
      new MetricProviderFactory() {
        @Override
        public String type() {
          return "groups";
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
              return "groups test";
            }

            @Override
            public List<TimeSeries> fetchWindow(MetricQuery query) {
              if (!query.template().endsWith("_hist")) {
                return MetricProvider.super.fetchWindow(query);
              }
              // cumulative buckets at 100 ms and +Inf: the canary group's slower than the stable's
              double[] counts =
                  query.template().startsWith("canary")
                      ? new double[] {50, 100}
                      : new double[] {180, 200};
              long at = query.end().toEpochMilli();
              return List.of(
                  new TimeSeries(Map.of("le", "0.1"), new long[] {at}, new double[] {counts[0]}),
                  new TimeSeries(Map.of("le", "+Inf"), new long[] {at}, new double[] {counts[1]}));
            }

            @Override
            public MetricData fetch(MetricQuery query) {
              return new MetricData.Values(
                  new TimeSeries(
                      Map.of(),
                      new long[] {query.end().toEpochMilli()},
                      new double[] {BACKEND.get(query.template())}));
            }
          };
        }
      };

  private final AnalysisRunner runner =
      new AnalysisRunner(
          new MetricProviders(List.of(groups)),
          ProviderContext.of(SecretResolver.fromMap(Map.of())),
          new RemoteCalls(
              RetryRegistry.of(RetryConfig.custom().maxAttempts(1).build()),
              CircuitBreakerRegistry.ofDefaults()));

  private static AnalysisSpec analysis() {
    MetricDefinition metric =
        new MetricDefinition(
            new MetricDefinition.ProviderSpec("groups", Map.of()),
            new MetricDefinition.Source.Counts(
                "canary_bad",
                "canary_all",
                new MetricDefinition.Source.Counts.Side("stable_bad", "stable_all")),
            SeriesAggregation.NONE,
            MetricSpec.named("errors")
                .effectSize(EffectSize.DEFAULT)
                .judge(SequentialOptions.DEFAULT)
                .build(),
            null,
            "http-error-rate");
    return new AnalysisSpec(
        Duration.ofMinutes(1),
        Duration.ZERO,
        List.of(metric),
        0,
        0,
        4,
        AnalysisSpec.ErrorAction.ROLLBACK,
        ScoreThresholds.DEFAULT,
        SequentialOptions.DEFAULT,
        Map.of(),
        AnalysisSpec.DEFAULT_MAX_DURATION,
        AnalysisSpec.UndecidedAction.PAUSE);
  }

  private AnalysisRun.MetricValues analyse(boolean onStableGroup) {
    QueryVariables v =
        new QueryVariables(Map.of("version", "2.0"), Map.of("version", "1.9"))
            .onStableGroup(onStableGroup);
    return runner.run(analysis(), v, T0, T0.plusSeconds(60), JudgeState.EMPTY).values().get(0);
  }

  @Test
  void theCanaryGroupIsTheCanaryOfARelease() {
    AnalysisRun.MetricValues values = analyse(false);
    assertThat(values.counts()).isEqualTo(new Counts(30, 1000, 10, 2000));
    assertThat(values.queries())
        .containsExactly(
            "canary bad: canary_bad",
            "canary total: canary_all",
            "baseline bad: stable_bad",
            "baseline total: stable_all");
  }

  @Test
  void aReleaseOnTheStableGroupReadsItsCanaryThere() {
    AnalysisRun.MetricValues values = analyse(true);
    assertThat(values.counts()).isEqualTo(new Counts(10, 2000, 30, 1000));
    assertThat(values.queries())
        .containsExactly(
            "canary bad: stable_bad",
            "canary total: stable_all",
            "baseline bad: canary_bad",
            "baseline total: canary_all");
  }

  private AnalysisRun.MetricValues latency(boolean onStableGroup) {
    MetricDefinition metric =
        new MetricDefinition(
            new MetricDefinition.ProviderSpec("groups", Map.of()),
            new MetricDefinition.Source.Histogram("canary_hist", "stable_hist"),
            SeriesAggregation.NONE,
            MetricSpec.named("latency")
                .effectSize(EffectSize.DEFAULT)
                .judge(SequentialOptions.DEFAULT)
                .build(),
            null,
            "http-latency");
    AnalysisSpec base = analysis();
    AnalysisSpec withLatency =
        new AnalysisSpec(
            base.interval(),
            base.warmup(),
            List.of(metric),
            base.failureLimit(),
            base.inconclusiveLimit(),
            base.consecutiveErrorLimit(),
            base.errorAction(),
            base.thresholds(),
            base.judge(),
            base.groupWeights(),
            base.maxDuration(),
            base.onUndecided());
    QueryVariables v =
        new QueryVariables(Map.of("version", "2.0"), Map.of("version", "1.9"))
            .onStableGroup(onStableGroup);
    return runner.run(withLatency, v, T0, T0.plusSeconds(60), JudgeState.EMPTY).values().get(0);
  }

  @Test
  void aHistogramPerGroupIsReadFromEachGroupAndSwappedOnTheStableGroup() {
    AnalysisRun.MetricValues canaryGroup = latency(false);
    assertThat(java.util.Objects.requireNonNull(canaryGroup.histogram()).canary())
        .containsExactly(50, 100); // cumulative, as the buckets are
    assertThat(canaryGroup.histogram().baseline()).containsExactly(180, 200);
    assertThat(canaryGroup.queries())
        .containsExactly("canary: canary_hist", "baseline: stable_hist");

    AnalysisRun.MetricValues stableGroup = latency(true);
    assertThat(java.util.Objects.requireNonNull(stableGroup.histogram()).canary())
        .containsExactly(180, 200);
    assertThat(stableGroup.queries())
        .containsExactly("canary: stable_hist", "baseline: canary_hist");
  }
}
