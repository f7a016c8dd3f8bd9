package dev.aviary.controller.backtest;

import dev.aviary.analysis.judge.JudgeState;
import dev.aviary.analysis.judge.MetricResult;
import dev.aviary.controller.analysis.AnalysisRun;
import dev.aviary.controller.analysis.AnalysisRunner;
import dev.aviary.controller.analysis.QueryVariables;
import dev.aviary.controller.plan.AnalysisSpec;
import dev.aviary.controller.plan.PlanService;
import dev.aviary.controller.plan.PlanSpec;
import dev.aviary.controller.plan.PlanView;
import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.controller.platform.RemoteCalls;
import dev.aviary.kernel.SettingViolation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Runs a plan's queries once, for the last analysis window, with the variables a rollout of a
 * version would use, and tells what came back — before a release, rather than at its first
 * analysis: a query that returns nothing, a label that does not match, a backend that refuses.
 * Nothing is stored and no traffic moves.
 */
@Service
public class PlanCheck {

  private final PlanService plans;
  private final AnalysisRunner runner;
  private final Clock clock;

  public PlanCheck(PlanService plans, AnalysisRunner runner, Clock clock) {
    this.plans = plans;
    this.runner = runner;
    this.clock = clock;
  }

  /**
   * What the check found.
   *
   * @param plan the plan
   * @param revision its revision
   * @param windowStart the window the queries covered: one analysis interval before now
   * @param windowEnd now
   * @param outcome what an analysis of this window would be: SUCCESS, FAILURE, INCONCLUSIVE,
   *     UNDECIDED, ERROR
   * @param summary that analysis in one line
   * @param metrics per metric: its rendered queries, what came back, how it would be judged
   */
  public record Report(
      String plan,
      int revision,
      Instant windowStart,
      Instant windowEnd,
      String outcome,
      String summary,
      List<Metric> metrics) {}

  /**
   * One metric's check.
   *
   * @param metric its name
   * @param queries each query as sent, labelled by side and part
   * @param canary a series' canary values (NaN gaps left out)
   * @param baseline a series' baseline values, when compared
   * @param counts a count metric's window: canaryBad, canaryTotal, baselineBad, baselineTotal
   * @param requests a latency histogram's window: the requests it counted, canary and baseline
   * @param error why fetching failed, in words
   * @param classification how it would be judged: PASS, HIGH, LOW, NODATA, ERROR, UNDECIDED
   * @param reason why
   */
  public record Metric(
      String metric,
      List<String> queries,
      List<Double> canary,
      @Nullable List<Double> baseline,
      @Nullable Map<String, Double> counts,
      @Nullable Map<String, Double> requests,
      @Nullable String error,
      String classification,
      @Nullable String reason) {}

  public Report run(String planName, Map<String, String> canary, Map<String, String> baseline) {
    PlanView view = plans.get(planName);
    PlanSpec plan = Objects.requireNonNull(view.spec(), "a stored plan reads");
    AnalysisSpec analysis = plan.analysis();
    if (analysis == null) {
      throw InvalidRequestException.of(
          "plan", "plan '" + planName + "' judges nothing: it has no analysis to check");
    }
    List<SettingViolation> problems = new ArrayList<>();
    if (!canary.containsKey("version")) {
      problems.add(new SettingViolation("canary.version", "is required"));
    }
    QueryVariables variables = QueryVariables.of(planName, "check", canary, baseline, plan);
    BacktestService.missingVariables(analysis, variables, problems);
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    Instant end = clock.instant();
    Instant start = end.minus(analysis.interval());
    AnalysisRun run =
        RemoteCalls.withinBudget(
            java.time.Duration.ofSeconds(60),
            () -> runner.run(analysis, variables, start, end, JudgeState.EMPTY));
    List<Metric> metrics = new ArrayList<>();
    for (int i = 0; i < run.values().size(); i++) {
      AnalysisRun.MetricValues v = run.values().get(i);
      MetricResult judged =
          run.judgement().metrics().stream()
              .filter(m -> m.name().equals(v.metric()))
              .findFirst()
              .orElse(null);
      Map<String, Double> counts = null;
      if (v.counts() != null) {
        counts = new LinkedHashMap<>();
        counts.put("canaryBad", v.counts().canaryBad());
        counts.put("canaryTotal", v.counts().canaryTotal());
        counts.put("baselineBad", v.counts().baselineBad());
        counts.put("baselineTotal", v.counts().baselineTotal());
      }
      Map<String, Double> requests = null;
      if (v.histogram() != null) {
        double[] canaryCounts = v.histogram().canary();
        double[] baselineCounts = v.histogram().baseline();
        requests = new LinkedHashMap<>();
        requests.put(
            "canary", canaryCounts.length == 0 ? 0 : canaryCounts[canaryCounts.length - 1]);
        requests.put(
            "baseline", baselineCounts.length == 0 ? 0 : baselineCounts[baselineCounts.length - 1]);
      }
      metrics.add(
          new Metric(
              v.metric(),
              v.queries(),
              finite(v.canary()),
              v.baseline() == null ? null : finite(v.baseline()),
              counts,
              requests,
              v.error(),
              judged == null ? "ERROR" : judged.classification().name(),
              judged == null ? v.error() : judged.reason()));
    }
    return new Report(
        planName, view.revision(), start, end, run.outcome().name(), run.summary(), metrics);
  }

  private static List<Double> finite(double[] values) {
    return Arrays.stream(values).filter(Double::isFinite).boxed().toList();
  }
}
