package dev.aviary.controller.backtest;

import dev.aviary.analysis.AnalysisException;
import dev.aviary.analysis.judge.Counts;
import dev.aviary.analysis.judge.GroupWeights;
import dev.aviary.analysis.judge.Histogram;
import dev.aviary.analysis.judge.JudgeState;
import dev.aviary.analysis.judge.Judgement;
import dev.aviary.analysis.judge.JudgementEngine;
import dev.aviary.analysis.judge.MetricInput;
import dev.aviary.analysis.metrics.MetricProviders;
import dev.aviary.analysis.metrics.QueryTemplate;
import dev.aviary.analysis.metrics.TimeSeries;
import dev.aviary.analysis.metrics.WindowCounts;
import dev.aviary.controller.analysis.AnalysisOutcome;
import dev.aviary.controller.analysis.AnalysisRunner;
import dev.aviary.controller.analysis.QueryVariables;
import dev.aviary.controller.plan.AnalysisSpec;
import dev.aviary.controller.plan.MetricDefinition;
import dev.aviary.controller.plan.PlanService;
import dev.aviary.controller.plan.PlanSpec;
import dev.aviary.controller.plan.PlanView;
import dev.aviary.controller.plan.Step;
import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.controller.platform.RemoteCalls;
import dev.aviary.controller.platform.UpstreamFailureException;
import dev.aviary.kernel.Durations;
import dev.aviary.kernel.SettingViolation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.stereotype.Service;

/**
 * Replays a plan's analysis over a past range of its metrics, as if rollouts had run then: the
 * range is cut into the plan's analysis windows, every metric is fetched for all of them at once (a
 * range query whose step is the window), and the windows are judged in order as a rollout's ticks
 * are — state carried, limits applied — in rehearsals of one analysis step each, held for the
 * analysis's {@code maxDuration} or until rolled back, one after the other.
 *
 * <p>Without a canary, the baseline is rehearsed against itself: each window's requests are split
 * at random between a pretend canary and the baseline by the plan's first weight, which is exactly
 * how a canary as good as its baseline would look — every rollback is a false one. Series metrics
 * compare the baseline's window with the one before it. With a canary (a version that ran then),
 * both sides are queried as in a rollout.
 */
@Service
public class BacktestService {

  /** The most windows one backtest replays: a week of 30-second windows. */
  static final int MAX_WINDOWS = 20_160;

  /** The most points one range query asks for (Prometheus refuses more than 11,000). */
  static final int MAX_POINTS_PER_QUERY = 10_000;

  private final PlanService plans;
  private final AnalysisRunner runner;
  private final MetricProviders providers;
  private final Clock clock;

  public BacktestService(
      PlanService plans, AnalysisRunner runner, MetricProviders providers, Clock clock) {
    this.plans = plans;
    this.runner = runner;
    this.providers = providers;
    this.clock = clock;
  }

  public BacktestReport run(String planName, BacktestRequest request) {
    PlanView view = plans.get(planName);
    PlanSpec plan = Objects.requireNonNull(view.spec(), "a stored plan reads");
    AnalysisSpec analysis = plan.analysis();
    if (analysis == null) {
      throw InvalidRequestException.of(
          "plan", "plan '" + planName + "' judges nothing: it has no analysis");
    }
    Duration interval = analysis.interval();
    Instant from = request.from();
    Instant to = request.to().isAfter(clock.instant()) ? clock.instant() : request.to();
    long windows = Duration.between(from, to).toMillis() / interval.toMillis();
    List<SettingViolation> problems = new ArrayList<>();
    if (windows < 1) {
      problems.add(
          new SettingViolation(
              "to",
              "the range must hold at least one "
                  + Durations.format(interval)
                  + " window (before now)"));
    } else if (windows > MAX_WINDOWS) {
      problems.add(
          new SettingViolation(
              "to",
              "the range holds "
                  + windows
                  + " windows of "
                  + Durations.format(interval)
                  + "; at most "
                  + MAX_WINDOWS
                  + " are replayed at once"));
    }
    for (int i = 0; i < analysis.metrics().size(); i++) {
      MetricDefinition m = analysis.metrics().get(i);
      boolean replays =
          providers.find(m.provider().type()).map(f -> f.replaysRanges()).orElse(false);
      if (!replays) {
        problems.add(
            new SettingViolation(
                "plan",
                "metric "
                    + m.name()
                    + ": the "
                    + m.provider().type()
                    + " provider cannot replay past windows; backtests need one that answers range"
                    + " queries (prometheus)"));
      }
    }
    boolean selfRehearsal = request.canary() == null;
    Map<String, String> canaryScope = selfRehearsal ? request.baseline() : request.canary();
    QueryVariables variables =
        QueryVariables.of(
            planName, "backtest", Objects.requireNonNull(canaryScope), request.baseline(), plan);
    missingVariables(analysis, variables, problems);
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    int weight = request.weight() != null ? request.weight() : firstWeight(plan);
    Instant end = from.plus(interval.multipliedBy(windows));
    Replay replay =
        new Replay(
            analysis, variables, from, end, (int) windows, selfRehearsal, weight, request.seed());
    List<List<MetricInput>> inputs = replay.inputs();
    return judge(view, analysis, inputs, from, selfRehearsal, weight);
  }

  private static int firstWeight(PlanSpec plan) {
    for (Step s : plan.steps()) {
      if (s instanceof Step.SetWeight w && w.weight() > 0 && w.weight() < 100) {
        return w.weight();
      }
    }
    return 10;
  }

  static void missingVariables(
      AnalysisSpec analysis, QueryVariables variables, List<SettingViolation> problems) {
    TreeSet<String> missing = new TreeSet<>();
    for (MetricDefinition m : analysis.metrics()) {
      for (String t : m.canaryTemplates()) {
        for (String v : QueryTemplate.variablesOf(t)) {
          if (!variables.canary().containsKey(v)
              && !dev.aviary.analysis.metrics.MetricQuery.RANGE_VARIABLES.contains(v)) {
            missing.add("${" + v + "}");
          }
        }
      }
      for (String t : m.baselineTemplates()) {
        for (String v : QueryTemplate.variablesOf(t)) {
          if (!variables.baseline().containsKey(v)
              && !dev.aviary.analysis.metrics.MetricQuery.RANGE_VARIABLES.contains(v)) {
            missing.add("${" + v + "}");
          }
        }
      }
    }
    if (!missing.isEmpty()) {
      problems.add(
          new SettingViolation(
              "baseline",
              "the plan's queries use " + missing + ", which this request does not define"));
    }
  }

  /** Judges the windows in order, rehearsal after rehearsal. */
  private static BacktestReport judge(
      PlanView view,
      AnalysisSpec analysis,
      List<List<MetricInput>> inputs,
      Instant from,
      boolean selfRehearsal,
      int weight) {
    JudgementEngine engine = new JudgementEngine();
    Duration interval = analysis.interval();
    long perRehearsal = Math.max(1, analysis.maxDuration().toMillis() / interval.toMillis());
    List<BacktestReport.Tick> ticks = new ArrayList<>();
    List<Double> minutesToPass = new ArrayList<>();
    int rehearsal = 0;
    int rolledBack = 0;
    int passed = 0;
    int undecided = 0;
    JudgeState state = JudgeState.EMPTY;
    int failures = 0;
    int begun = 0;
    boolean hasPassed = false;
    for (int w = 0; w < inputs.size(); w++) {
      Instant start = from.plus(interval.multipliedBy(w));
      Instant windowEnd = start.plus(interval);
      List<MetricInput> tick = inputs.get(w);
      if (tick.isEmpty()) {
        continue; // the first window of a series rehearsal has nothing before it
      }
      Judgement j =
          engine.judge(
              tick, new GroupWeights(analysis.groupWeights()), analysis.thresholds(), state);
      state = j.state();
      boolean anyError = tick.stream().anyMatch(m -> m.error() != null);
      AnalysisOutcome outcome = AnalysisRunner.outcome(j, anyError);
      String decision;
      boolean ends = false;
      switch (outcome) {
        case FAILURE -> {
          failures++;
          if (failures > analysis.failureLimit()) {
            decision = "rolled back";
            rolledBack++;
            ends = true;
          } else {
            decision = "failed";
          }
        }
        case SUCCESS -> {
          decision = hasPassed ? "passing" : "passed";
          if (!hasPassed) {
            minutesToPass.add(
                Duration.between(from.plus(interval.multipliedBy(begun)), windowEnd).toSeconds()
                    / 60.0);
          }
          hasPassed = true;
        }
        case UNDECIDED -> decision = "waiting";
        default -> decision = outcome.name().toLowerCase(java.util.Locale.ROOT);
      }
      if (!ends && w + 1 - begun >= perRehearsal) {
        ends = true;
        if (hasPassed) {
          passed++;
        } else {
          undecided++;
          decision = decision + "; undecided at maxDuration";
        }
      }
      ticks.add(
          new BacktestReport.Tick(
              rehearsal,
              start,
              windowEnd,
              j.verdict().name(),
              outcome.name(),
              decision,
              AnalysisRunner.summary(j)));
      if (ends) {
        rehearsal++;
        state = JudgeState.EMPTY;
        failures = 0;
        hasPassed = false;
        begun = w + 1;
      }
    }
    if (begun < inputs.size()) { // a last rehearsal cut short by the end of the range
      rehearsal++;
      if (hasPassed) {
        passed++;
      } else {
        undecided++;
      }
    }
    double[] sorted = minutesToPass.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    Double median =
        sorted.length == 0
            ? null
            : sorted.length % 2 == 1
                ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    return new BacktestReport(
        view.document().name(),
        view.revision(),
        from,
        from.plus(interval.multipliedBy(inputs.size())),
        Durations.format(interval),
        selfRehearsal ? "baseline-against-itself" : "canary-against-baseline",
        selfRehearsal ? weight : null,
        rehearsal,
        rolledBack,
        passed,
        undecided,
        rehearsal == 0 ? 0 : (double) rolledBack / rehearsal,
        median,
        ticks);
  }

  /** The windows' inputs, fetched once per query for the whole range. */
  private final class Replay {
    private final AnalysisSpec analysis;
    private final QueryVariables variables;
    private final Instant from;
    private final Instant to;
    private final int windows;
    private final boolean selfRehearsal;
    private final double share;
    private final SplittableRandom random;

    Replay(
        AnalysisSpec analysis,
        QueryVariables variables,
        Instant from,
        Instant to,
        int windows,
        boolean selfRehearsal,
        int weight,
        long seed) {
      this.analysis = analysis;
      this.variables = variables;
      this.from = from;
      this.to = to;
      this.windows = windows;
      this.selfRehearsal = selfRehearsal;
      this.share = weight / 100.0;
      this.random = new SplittableRandom(seed);
    }

    List<List<MetricInput>> inputs() {
      List<List<MetricInput>> byWindow = new ArrayList<>();
      for (int w = 0; w < windows; w++) {
        byWindow.add(new ArrayList<>());
      }
      for (MetricDefinition m : analysis.metrics()) {
        MetricDefinition.Source source = m.source();
        if (source instanceof MetricDefinition.Source.Counts c) {
          counts(m, c, byWindow);
        } else if (source instanceof MetricDefinition.Source.Histogram h) {
          histograms(m, h, byWindow);
        } else {
          series(m, (MetricDefinition.Source.Series) source, byWindow);
        }
      }
      return byWindow;
    }

    private Duration interval() {
      return analysis.interval();
    }

    /** The window ending at each point: points at from + interval, from + 2·interval, .... */
    private int windowOf(long timestampMillis) {
      long offset = timestampMillis - from.toEpochMilli();
      long w = offset / interval().toMillis() - 1;
      return offset % interval().toMillis() == 0 && w >= 0 && w < windows ? (int) w : -1;
    }

    private List<TimeSeries> fetch(
        MetricDefinition m, String template, boolean canarySide, Duration step) {
      Map<String, String> scope = canarySide ? variables.canary() : variables.baseline();
      List<TimeSeries> all = new ArrayList<>();
      long stepMillis = step.toMillis();
      Instant chunkStart = from.plus(step);
      while (!chunkStart.isAfter(to)) {
        Instant chunkEnd = chunkStart.plusMillis(stepMillis * (MAX_POINTS_PER_QUERY - 1));
        if (chunkEnd.isAfter(to)) {
          chunkEnd = to;
        }
        try {
          all.addAll(runner.fetchWindows(m, template, scope, chunkStart, chunkEnd, step));
        } catch (AnalysisException e) {
          throw new UpstreamFailureException(
              "metric "
                  + m.name()
                  + " ("
                  + (canarySide ? "canary" : "baseline")
                  + "): "
                  + e.getMessage());
        } catch (RemoteCalls.NotTried | RemoteCalls.TooSlow e) {
          throw new UpstreamFailureException("metric " + m.name() + ": " + e.getMessage());
        }
        chunkStart = chunkEnd.plus(step);
      }
      return all;
    }

    private double[] perWindow(SortedMap<Long, Double> points) {
      double[] values = new double[windows];
      for (Map.Entry<Long, Double> e : points.entrySet()) {
        int w = windowOf(e.getKey());
        if (w >= 0) {
          values[w] += e.getValue();
        }
      }
      return values;
    }

    private void counts(
        MetricDefinition m, MetricDefinition.Source.Counts c, List<List<MetricInput>> out) {
      double[] bb =
          perWindow(WindowCounts.totalsOverTime(fetch(m, c.baselineBad(), false, interval())));
      double[] bt =
          perWindow(WindowCounts.totalsOverTime(fetch(m, c.baselineTotal(), false, interval())));
      double[] cb;
      double[] ct;
      if (selfRehearsal) {
        cb = new double[windows];
        ct = new double[windows];
        for (int w = 0; w < windows; w++) {
          double total = Math.max(0, Math.rint(bt[w]));
          double bad = Math.min(total, Math.max(0, Math.rint(bb[w])));
          // a random split of the window's requests: the canary's share of them, and of the bad
          double canaryTotal = binomial(total, share);
          double canaryBad = hypergeometric(bad, total, canaryTotal);
          ct[w] = canaryTotal;
          cb[w] = canaryBad;
          bt[w] = total - canaryTotal;
          bb[w] = bad - canaryBad;
        }
      } else {
        cb = perWindow(WindowCounts.totalsOverTime(fetch(m, c.bad(), true, interval())));
        ct = perWindow(WindowCounts.totalsOverTime(fetch(m, c.total(), true, interval())));
      }
      for (int w = 0; w < windows; w++) {
        Counts counts = new Counts(Math.min(cb[w], ct[w]), ct[w], Math.min(bb[w], bt[w]), bt[w]);
        out.get(w).add(MetricInput.counted(m.judging(), counts));
      }
    }

    private void histograms(
        MetricDefinition m, MetricDefinition.Source.Histogram h, List<List<MetricInput>> out) {
      SortedMap<Long, SortedMap<Double, Double>> baseline =
          WindowCounts.bucketsOverTime(fetch(m, h.baselineQuery(), false, interval()));
      SortedMap<Long, SortedMap<Double, Double>> canary =
          selfRehearsal
              ? new TreeMap<>()
              : WindowCounts.bucketsOverTime(fetch(m, h.query(), true, interval()));
      TreeSet<Double> bounds = new TreeSet<>();
      baseline.values().forEach(b -> bounds.addAll(b.keySet()));
      canary.values().forEach(b -> bounds.addAll(b.keySet()));
      double[] boundArray =
          bounds.isEmpty()
              ? new double[] {Double.POSITIVE_INFINITY}
              : bounds.stream().mapToDouble(Double::doubleValue).toArray();
      double[][] b = new double[windows][];
      double[][] c = new double[windows][];
      for (int w = 0; w < windows; w++) {
        b[w] = new double[boundArray.length];
        c[w] = new double[boundArray.length];
      }
      fill(baseline, boundArray, b);
      fill(canary, boundArray, c);
      for (int w = 0; w < windows; w++) {
        if (selfRehearsal) {
          split(b[w], c[w]);
        }
        out.get(w).add(MetricInput.histogram(m.judging(), new Histogram(boundArray, c[w], b[w])));
      }
    }

    private void fill(
        SortedMap<Long, SortedMap<Double, Double>> points, double[] bounds, double[][] into) {
      for (Map.Entry<Long, SortedMap<Double, Double>> e : points.entrySet()) {
        int w = windowOf(e.getKey());
        if (w < 0) {
          continue;
        }
        double running = 0;
        for (int i = 0; i < bounds.length; i++) {
          running = Math.max(running, e.getValue().getOrDefault(bounds[i], running));
          into[w][i] = Math.rint(running);
        }
      }
    }

    /** Splits cumulative bucket counts of the baseline between it and a pretend canary. */
    private void split(double[] baseline, double[] canary) {
      double previous = 0;
      double canaryRunning = 0;
      double baselineRunning = 0;
      for (int i = 0; i < baseline.length; i++) {
        double inBucket = Math.max(0, baseline[i] - previous);
        previous = baseline[i];
        double toCanary = binomial(inBucket, share);
        canaryRunning += toCanary;
        baselineRunning += inBucket - toCanary;
        canary[i] = canaryRunning;
        baseline[i] = baselineRunning;
      }
    }

    private void series(
        MetricDefinition m, MetricDefinition.Source.Series s, List<List<MetricInput>> out) {
      Object stepSetting = m.provider().settings().get("step");
      Duration step =
          stepSetting instanceof String text
              ? Durations.parse(text).orElse(interval().dividedBy(60))
              : Duration.ofMillis(Math.max(1000, interval().toMillis() / 60));
      double[][] canary = sliced(fetch(m, s.canary(), !selfRehearsal, step), m);
      String baselineQuery = s.baseline();
      double[][] baseline =
          baselineQuery == null ? null : sliced(fetch(m, baselineQuery, false, step), m);
      for (int w = 0; w < windows; w++) {
        if (baseline == null) {
          out.get(w).add(MetricInput.canaryOnly(m.judging(), canary[w]));
        } else if (selfRehearsal) {
          // the baseline's window against the one before it: a drift rehearsal
          if (w > 0) {
            out.get(w).add(MetricInput.compared(m.judging(), baseline[w - 1], baseline[w]));
          }
        } else {
          out.get(w).add(MetricInput.compared(m.judging(), canary[w], baseline[w]));
        }
      }
      if (selfRehearsal && baseline != null) {
        out.get(0).clear(); // nothing before the first window
      }
    }

    /** A series' points, cut into the windows (start, end]. */
    private double[][] sliced(List<TimeSeries> series, MetricDefinition m) {
      List<List<Double>> per = new ArrayList<>();
      for (int w = 0; w < windows; w++) {
        per.add(new ArrayList<>());
      }
      if (!series.isEmpty()) {
        TimeSeries combined;
        try {
          combined = TimeSeries.combine(series, m.seriesAggregation());
        } catch (AnalysisException e) {
          throw new UpstreamFailureException("metric " + m.name() + ": " + e.getMessage());
        }
        long[] t = combined.timestamps();
        double[] v = combined.values();
        for (int i = 0; i < t.length; i++) {
          long offset = t[i] - from.toEpochMilli();
          int w = (int) Math.ceil(offset / (double) interval().toMillis()) - 1;
          if (w >= 0 && w < windows) {
            per.get(w).add(v[i]);
          }
        }
      }
      double[][] result = new double[windows][];
      for (int w = 0; w < windows; w++) {
        result[w] = per.get(w).stream().mapToDouble(Double::doubleValue).toArray();
      }
      return result;
    }

    private double binomial(double n, double p) {
      if (n <= 0) {
        return 0;
      }
      double mean = n * p;
      double variance = mean * (1 - p);
      if (variance > 50) {
        return Math.max(
            0, Math.min(n, Math.rint(mean + Math.sqrt(variance) * random.nextGaussian())));
      }
      int k = 0;
      for (int i = 0; i < (int) n; i++) {
        if (random.nextDouble() < p) {
          k++;
        }
      }
      return k;
    }

    /** How many of {@code bad} among {@code total} land in a draw of {@code drawn}. */
    private double hypergeometric(double bad, double total, double drawn) {
      if (bad <= 0 || drawn <= 0) {
        return 0;
      }
      if (bad > 1000) {
        return Math.min(drawn, binomial(bad, drawn / total));
      }
      double k = 0;
      double left = total;
      for (int i = 0; i < (int) bad; i++) {
        // each bad request lands among the drawn with the chance of the places left
        if (random.nextDouble() < (drawn - k) / left) {
          k++;
        }
        left--;
      }
      return k;
    }
  }
}
