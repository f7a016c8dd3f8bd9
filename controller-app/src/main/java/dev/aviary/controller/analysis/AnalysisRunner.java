package dev.aviary.controller.analysis;

import dev.aviary.analysis.AnalysisException;
import dev.aviary.analysis.judge.Classification;
import dev.aviary.analysis.judge.GroupWeights;
import dev.aviary.analysis.judge.JudgeState;
import dev.aviary.analysis.judge.Judgement;
import dev.aviary.analysis.judge.JudgementEngine;
import dev.aviary.analysis.judge.MetricInput;
import dev.aviary.analysis.judge.MetricResult;
import dev.aviary.analysis.judge.Verdict;
import dev.aviary.analysis.metrics.MetricData;
import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.MetricProviders;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.controller.plan.AnalysisSpec;
import dev.aviary.controller.plan.MetricDefinition;
import dev.aviary.controller.platform.RemoteCalls;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Runs one analysis tick of a plan: fetches every metric for canary and baseline over the window
 * (through {@link RemoteCalls}: retries with backoff, a circuit breaker per backend), judges them,
 * and says what the result means for the rollout. Missing data never counts as success.
 */
@Component
public class AnalysisRunner {

  private final MetricProviders providers;
  private final ProviderContext context;
  private final RemoteCalls remote;
  private final Map<String, MetricProvider> cache = new ConcurrentHashMap<>();

  public AnalysisRunner(MetricProviders providers, ProviderContext context, RemoteCalls remote) {
    this.providers = providers;
    this.context = context;
    this.remote = remote;
  }

  public AnalysisRun run(
      AnalysisSpec spec,
      QueryVariables variables,
      Instant start,
      Instant end,
      JudgeState previous) {
    List<MetricInput> inputs = new ArrayList<>();
    List<AnalysisRun.MetricValues> values = new ArrayList<>();
    boolean anyError = false;
    for (MetricDefinition metric : spec.metrics()) {
      Fetched canary = fetch(metric, metric.canaryQuery(), variables.canary(), start, end);
      Fetched baseline =
          metric.baselineQuery() == null
              ? null
              : fetch(metric, metric.baselineQuery(), variables.baseline(), start, end);
      String error =
          canary.error != null
              ? "canary: " + canary.error
              : baseline != null && baseline.error != null ? "baseline: " + baseline.error : null;
      if (error != null) {
        anyError = true;
        inputs.add(MetricInput.failed(metric.judging(), error));
      } else {
        inputs.add(
            baseline == null
                ? MetricInput.canaryOnly(metric.judging(), canary.values)
                : MetricInput.compared(metric.judging(), canary.values, baseline.values));
      }
      values.add(
          new AnalysisRun.MetricValues(
              metric.name(), canary.values, baseline == null ? null : baseline.values, error));
    }
    Judgement judgement =
        new JudgementEngine()
            .judge(inputs, new GroupWeights(spec.groupWeights()), spec.thresholds(), previous);
    AnalysisOutcome outcome = outcome(judgement, anyError);
    return new AnalysisRun(outcome, judgement, values, start, end, summary(judgement));
  }

  /**
   * A critical failure of a metric that was fetched is a failure whatever else happened; otherwise
   * any fetch error makes the tick an error (the backend, not the canary, is in doubt); a pass with
   * any metric lacking data is inconclusive, as are MARGINAL and NODATA.
   */
  static AnalysisOutcome outcome(Judgement judgement, boolean anyError) {
    boolean criticalFailure = judgement.metrics().stream().anyMatch(MetricResult::criticalFailure);
    if (criticalFailure) {
      return AnalysisOutcome.FAILURE;
    }
    if (anyError) {
      return AnalysisOutcome.ERROR;
    }
    if (judgement.verdict() == Verdict.FAIL) {
      return AnalysisOutcome.FAILURE;
    }
    boolean someNoData =
        judgement.metrics().stream().anyMatch(m -> m.classification() == Classification.NODATA);
    if (judgement.verdict() == Verdict.PASS && !someNoData) {
      return AnalysisOutcome.SUCCESS;
    }
    return AnalysisOutcome.INCONCLUSIVE;
  }

  private static String summary(Judgement j) {
    StringBuilder sb = new StringBuilder("verdict " + j.verdict() + ", score " + j.score());
    for (MetricResult r : j.metrics()) {
      sb.append("; ").append(r.name()).append(' ').append(r.classification());
      if (r.classification() != Classification.PASS) {
        sb.append(" (").append(r.reason()).append(')');
      }
    }
    return sb.toString();
  }

  @SuppressWarnings("ArrayRecordComponent") // a private hand-over, never compared
  private record Fetched(double[] values, @Nullable String error) {}

  private Fetched fetch(
      MetricDefinition metric,
      String template,
      Map<String, String> variables,
      Instant start,
      Instant end) {
    MetricQuery query =
        new MetricQuery(template, variables, start, end, null, metric.seriesAggregation());
    try {
      MetricProvider provider = provider(metric.provider());
      MetricData data = remote.call(backend(provider, query), () -> provider.fetch(query));
      return new Fetched(data.values(), null);
    } catch (AnalysisException e) {
      return new Fetched(new double[0], String.valueOf(e.getMessage()));
    } catch (CallNotPermittedException e) {
      return new Fetched(
          new double[0],
          "the circuit breaker for "
              + backend(provider(metric.provider()), query)
              + " is open after repeated failures; not calling it until it recovers");
    }
  }

  /** One circuit breaker per backend, as the provider names it: a dead one trips no other. */
  private static String backend(MetricProvider provider, MetricQuery query) {
    return "metrics " + provider.backend(query);
  }

  private MetricProvider provider(MetricDefinition.ProviderSpec spec) {
    String key = spec.type() + ":" + new java.util.TreeMap<>(spec.settings());
    return cache.computeIfAbsent(
        key,
        k -> {
          MetricProviderFactory factory =
              providers
                  .find(spec.type())
                  .orElseThrow(() -> new IllegalStateException("unknown provider " + spec.type()));
          return factory.create(spec.settings(), context);
        });
  }
}
