package dev.aviary.controller.analysis;

import dev.aviary.analysis.AnalysisException;
import dev.aviary.analysis.judge.Classification;
import dev.aviary.analysis.judge.Counts;
import dev.aviary.analysis.judge.GroupWeights;
import dev.aviary.analysis.judge.Histogram;
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
import dev.aviary.analysis.metrics.SeriesAggregation;
import dev.aviary.analysis.metrics.TimeSeries;
import dev.aviary.analysis.metrics.WindowCounts;
import dev.aviary.controller.plan.AnalysisSpec;
import dev.aviary.controller.plan.MetricDefinition;
import dev.aviary.controller.platform.RemoteCalls;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
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
      Measured m =
          switch (metric.shape()) {
            case COUNTS -> counts(metric, variables, start, end);
            case HISTOGRAM -> histogram(metric, variables, start, end);
            case SERIES -> series(metric, variables, start, end);
          };
      anyError |= m.values().error() != null;
      inputs.add(m.input());
      values.add(m.values().withQueries(rendered(metric, variables, start, end)));
    }
    Judgement judgement =
        new JudgementEngine()
            .judge(inputs, new GroupWeights(spec.groupWeights()), spec.thresholds(), previous);
    AnalysisOutcome outcome = outcome(judgement, anyError);
    String summary = outcome == AnalysisOutcome.ERROR ? errorSummary(values) : summary(judgement);
    return new AnalysisRun(outcome, judgement, values, start, end, summary);
  }

  /**
   * A critical failure of a metric that was fetched is a failure whatever else happened; otherwise
   * any fetch error makes the tick an error (the backend, not the canary, is in doubt); a pass with
   * any metric lacking data is inconclusive, as are MARGINAL and NODATA; a sequential judge that
   * has not decided yet makes it undecided: the step waits, nothing is counted against the rollout.
   */
  public static AnalysisOutcome outcome(Judgement judgement, boolean anyError) {
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
    if (judgement.verdict() == Verdict.UNDECIDED && !someNoData) {
      return AnalysisOutcome.UNDECIDED;
    }
    return AnalysisOutcome.INCONCLUSIVE;
  }

  /** What one metric measured: the judge's input and what is stored of it. */
  private record Measured(MetricInput input, AnalysisRun.MetricValues values) {
    static Measured failed(MetricDefinition metric, String error) {
      return new Measured(
          MetricInput.failed(metric.judging(), error),
          new AnalysisRun.MetricValues(metric.name(), new double[0], null, null, null, error));
    }
  }

  private Measured series(
      MetricDefinition metric, QueryVariables variables, Instant start, Instant end) {
    MetricDefinition.Source.Series source = (MetricDefinition.Source.Series) metric.source();
    Fetched canary = fetch(metric, source.canary(), variables.canary(), start, end);
    String baselineQuery = source.baseline();
    Fetched baseline =
        baselineQuery == null
            ? null
            : fetch(metric, baselineQuery, variables.baseline(), start, end);
    String error =
        canary.error != null
            ? "canary: " + canary.error
            : baseline != null && baseline.error != null ? "baseline: " + baseline.error : null;
    MetricInput input;
    if (error != null) {
      input = MetricInput.failed(metric.judging(), error);
    } else {
      input =
          baseline == null
              ? MetricInput.canaryOnly(metric.judging(), canary.values)
              : MetricInput.compared(metric.judging(), canary.values, baseline.values);
    }
    return new Measured(
        input,
        new AnalysisRun.MetricValues(
            metric.name(),
            canary.values,
            baseline == null ? null : baseline.values,
            null,
            null,
            error));
  }

  /**
   * A count metric: bad and all events of the window, for each side. A bad-events query that finds
   * no series counts as zero bad events (a service without errors has no error series); an
   * all-events query that finds none means that side served nothing in the window.
   */
  private Measured counts(
      MetricDefinition metric, QueryVariables variables, Instant start, Instant end) {
    MetricDefinition.Source.Counts source = (MetricDefinition.Source.Counts) metric.source();
    double[] found = new double[4];
    boolean swapped = variables.groupsSwapped() && source.baselineOwn() != null;
    String[][] queries = {
      {"canary", swapped ? source.baselineBad() : source.bad()},
      {"canary", swapped ? source.baselineTotal() : source.total()},
      {"baseline", swapped ? source.bad() : source.baselineBad()},
      {"baseline", swapped ? source.total() : source.baselineTotal()}
    };
    for (int i = 0; i < 4; i++) {
      Map<String, String> scope =
          queries[i][0].equals("canary") ? variables.canary() : variables.baseline();
      Window w = window(metric, queries[i][1], scope, start, end);
      if (w.error != null) {
        return Measured.failed(
            metric, queries[i][0] + " " + (i % 2 == 0 ? "bad" : "total") + ": " + w.error);
      }
      found[i] = WindowCounts.total(w.series).orElse(0);
    }
    Counts counts = new Counts(found[0], found[1], found[2], found[3]);
    String problem = counts.problem();
    if (problem != null) {
      return Measured.failed(
          metric,
          problem
              + " (canary "
              + found[0]
              + " of "
              + found[1]
              + ", baseline "
              + found[2]
              + " of "
              + found[3]
              + "): do the bad and total queries count the same events?");
    }
    return new Measured(
        MetricInput.counted(metric.judging(), counts),
        new AnalysisRun.MetricValues(metric.name(), new double[0], null, counts, null, null));
  }

  /**
   * A latency histogram of the window for each side; a side without series served nothing and
   * counts zero in every bucket.
   */
  private Measured histogram(
      MetricDefinition metric, QueryVariables variables, Instant start, Instant end) {
    MetricDefinition.Source.Histogram source = (MetricDefinition.Source.Histogram) metric.source();
    boolean swapped = variables.groupsSwapped() && source.baselineOwn() != null;
    Window canary =
        window(
            metric,
            swapped ? source.baselineQuery() : source.query(),
            variables.canary(),
            start,
            end);
    Window baseline =
        window(
            metric,
            swapped ? source.query() : source.baselineQuery(),
            variables.baseline(),
            start,
            end);
    String error =
        canary.error != null
            ? "canary: " + canary.error
            : baseline.error != null ? "baseline: " + baseline.error : null;
    if (error != null) {
      return Measured.failed(metric, error);
    }
    SortedMap<Double, Double> c;
    SortedMap<Double, Double> b;
    try {
      c = WindowCounts.buckets(canary.series);
      b = WindowCounts.buckets(baseline.series);
    } catch (AnalysisException e) {
      return Measured.failed(metric, String.valueOf(e.getMessage()));
    }
    if (!c.isEmpty() && !b.isEmpty() && !c.keySet().equals(b.keySet())) {
      return Measured.failed(
          metric,
          "canary and baseline histograms have different buckets: "
              + c.keySet()
              + " and "
              + b.keySet());
    }
    SortedMap<Double, Double> shape = !b.isEmpty() ? b : c;
    double[] bounds =
        shape.isEmpty()
            ? new double[] {Double.POSITIVE_INFINITY}
            : shape.keySet().stream().mapToDouble(Double::doubleValue).toArray();
    Histogram histogram = new Histogram(bounds, counts(c, bounds), counts(b, bounds));
    String problem = histogram.problem();
    if (problem != null) {
      return Measured.failed(metric, problem);
    }
    return new Measured(
        MetricInput.histogram(metric.judging(), histogram),
        new AnalysisRun.MetricValues(metric.name(), new double[0], null, null, histogram, null));
  }

  private static double[] counts(SortedMap<Double, Double> buckets, double[] bounds) {
    double[] counts = new double[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      counts[i] = buckets.getOrDefault(bounds[i], 0.0);
    }
    return counts;
  }

  private record Window(List<TimeSeries> series, @Nullable String error) {}

  /**
   * Every series {@code template} returns over {@code [from, to]}, one point per {@code window},
   * each the window before it (a range query whose step is the window): how a backtest replays past
   * windows in one request per query.
   *
   * @throws AnalysisException when the backend fails or refuses the query
   * @throws RemoteCalls.NotTried when the backend's circuit breaker is open or it is busy
   * @throws RemoteCalls.TooSlow when the backend did not answer in time
   */
  public List<TimeSeries> fetchWindows(
      MetricDefinition metric,
      String template,
      Map<String, String> variables,
      Instant from,
      Instant to,
      java.time.Duration window) {
    MetricQuery query =
        new MetricQuery(template, variables, from, to, window, metric.seriesAggregation());
    MetricProvider provider = provider(metric.provider());
    return remote.call(
        backend(metric, provider, query),
        provider.backend(query),
        () -> provider.fetchWindows(query));
  }

  private Window window(
      MetricDefinition metric,
      String template,
      Map<String, String> variables,
      Instant start,
      Instant end) {
    MetricQuery query =
        new MetricQuery(template, variables, start, end, null, SeriesAggregation.NONE);
    try {
      MetricProvider provider = provider(metric.provider());
      return new Window(
          remote.call(
              backend(metric, provider, query),
              provider.backend(query),
              () -> provider.fetchWindow(query)),
          null);
    } catch (AnalysisException e) {
      return new Window(List.of(), String.valueOf(e.getMessage()));
    } catch (RemoteCalls.NotTried | RemoteCalls.TooSlow e) {
      return new Window(List.of(), String.valueOf(e.getMessage()));
    }
  }

  /** Whether the baseline is read from templates of its own (a router's stable servers). */
  private static boolean ownBaseline(MetricDefinition.Source source) {
    if (source instanceof MetricDefinition.Source.Counts c) {
      return c.baselineOwn() != null;
    }
    return source instanceof MetricDefinition.Source.Histogram h && h.baselineOwn() != null;
  }

  /**
   * Each of {@code metric}'s queries as its provider sends them for the window, labelled by side
   * and part ({@code canary: …}, {@code baseline total: …}): what an analysis shows so that a query
   * that returns nothing can be run by hand. A query that cannot be rendered says why.
   */
  public List<String> rendered(
      MetricDefinition metric, QueryVariables variables, Instant start, Instant end) {
    MetricProvider provider;
    try {
      provider = provider(metric.provider());
    } catch (RuntimeException e) {
      return List.of();
    }
    List<String> parts =
        switch (metric.shape()) {
          case COUNTS -> List.of(" bad", " total");
          case HISTOGRAM, SERIES -> List.of("");
        };
    List<String> out = new ArrayList<>();
    boolean swapped = variables.groupsSwapped() && ownBaseline(metric.source());
    List<String> canary = swapped ? metric.baselineTemplates() : metric.canaryTemplates();
    for (int i = 0; i < canary.size(); i++) {
      out.add(
          "canary"
              + parts.get(Math.min(i, parts.size() - 1))
              + ": "
              + shown(provider, metric, canary.get(i), variables.canary(), start, end));
    }
    List<String> baseline = swapped ? metric.canaryTemplates() : metric.baselineTemplates();
    for (int i = 0; i < baseline.size(); i++) {
      out.add(
          "baseline"
              + parts.get(Math.min(i, parts.size() - 1))
              + ": "
              + shown(provider, metric, baseline.get(i), variables.baseline(), start, end));
    }
    return out;
  }

  private static String shown(
      MetricProvider provider,
      MetricDefinition metric,
      String template,
      Map<String, String> scope,
      Instant start,
      Instant end) {
    try {
      return provider.render(
          new MetricQuery(template, scope, start, end, null, metric.seriesAggregation()));
    } catch (AnalysisException e) {
      return "(cannot be rendered: " + e.getMessage() + ")";
    }
  }

  /**
   * Why {@code metric}'s canary (or baseline) queries cannot be rendered with {@code scope}'s
   * values — a value that no escaping makes data where it stands — or empty when they can.
   */
  public java.util.Optional<String> renderRefusal(
      MetricDefinition metric, boolean canary, Map<String, String> scope) {
    MetricProvider provider;
    try {
      provider = provider(metric.provider());
    } catch (RuntimeException e) {
      return java.util.Optional.empty(); // the plan's own problem, reported where it is read
    }
    Instant end = Instant.EPOCH.plusSeconds(3600);
    for (String template : canary ? metric.canaryTemplates() : metric.baselineTemplates()) {
      try {
        provider.render(
            new MetricQuery(
                template, scope, end.minusSeconds(60), end, null, metric.seriesAggregation()));
      } catch (AnalysisException e) {
        return java.util.Optional.of(
            "metric " + metric.name() + ": " + String.valueOf(e.getMessage()));
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * One line for a tick that could not judge: no verdict (none was reached), each metric that could
   * not be fetched with the reason in words.
   */
  static String errorSummary(List<AnalysisRun.MetricValues> values) {
    StringBuilder sb = new StringBuilder("no verdict, the metrics could not be fetched");
    for (AnalysisRun.MetricValues v : values) {
      if (v.error() != null) {
        sb.append("; ").append(v.metric()).append(": ").append(v.error());
      }
    }
    return sb.toString();
  }

  /** One line for the audit trail: the verdict, the score, and each metric's classification. */
  public static String summary(Judgement j) {
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
      MetricData data =
          remote.call(
              backend(metric, provider, query),
              provider.backend(query),
              () -> provider.fetch(query));
      return new Fetched(data.values(), null);
    } catch (AnalysisException e) {
      return new Fetched(new double[0], String.valueOf(e.getMessage()));
    } catch (RemoteCalls.NotTried | RemoteCalls.TooSlow e) {
      return new Fetched(new double[0], String.valueOf(e.getMessage()));
    }
  }

  /**
   * One circuit breaker per plan, metric and backend: a dead backend trips no other, and one plan's
   * failing query (one that times out on a shared Prometheus, say) trips no other plan's metrics.
   */
  private static String backend(
      MetricDefinition metric, MetricProvider provider, MetricQuery query) {
    return "metrics "
        + provider.backend(query)
        + " for "
        + java.util.Objects.requireNonNullElse(query.variables(), Map.<String, String>of())
            .getOrDefault("plan", "(no plan)")
        + "/"
        + metric.name();
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
