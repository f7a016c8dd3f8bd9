package dev.aviary.bench.judges;

import dev.aviary.analysis.judge.Counts;
import dev.aviary.analysis.judge.DataShape;
import dev.aviary.analysis.judge.GroupWeights;
import dev.aviary.analysis.judge.Histogram;
import dev.aviary.analysis.judge.Judge;
import dev.aviary.analysis.judge.JudgeOptions;
import dev.aviary.analysis.judge.JudgeState;
import dev.aviary.analysis.judge.Judgement;
import dev.aviary.analysis.judge.JudgementEngine;
import dev.aviary.analysis.judge.Judges;
import dev.aviary.analysis.judge.JudgingReader;
import dev.aviary.analysis.judge.MetricInput;
import dev.aviary.analysis.judge.MetricResult;
import dev.aviary.analysis.judge.MetricSpec;
import dev.aviary.analysis.judge.ScoreThresholds;
import dev.aviary.analysis.judge.Verdict;
import dev.aviary.kernel.Durations;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A plan, read from its JSON as a release engineer writes it, run against a simulated {@link
 * World}: the judges are the engine's own, fed what each metric's query would return in that world,
 * and the rollout follows the controller's rules — a weight below 100 % completes on a passing
 * analysis, an analysis step on {@code count} passes (and its {@code duration}), a failure beyond
 * {@code failureLimit} rolls back, an inconclusive beyond {@code inconclusiveLimit} pauses for a
 * person, an undecided step past {@code maxDuration} pauses or rolls back, no progress for {@code
 * progressDeadline} rolls back; analyses go on while a rollout holds or is paused.
 */
public final class PlanModel {

  private static final Pattern RANGE = Pattern.compile("\\[([^\\]:]+)");
  private static final Pattern QUANTILE = Pattern.compile("histogram_quantile\\(\\s*([0-9.]+)");

  /** How one run ended. */
  public enum Result {
    ROLLED_BACK,
    PROMOTED,
    /** Neither by the horizon: held at a weight, waiting, or paused for a person. */
    UNDECIDED
  }

  /** How one run ended and when, in minutes from its start. */
  public record Outcome(Result result, double minutes) {}

  private sealed interface StepModel permits SetWeight, Pause, AnalysisStep, Route {}

  /**
   * A header route set ({@code on}) or removed. While one is set at 0 %, the new version gets the
   * requests of the preview's callers, modelled as {@link #PREVIEW_PERCENT} of all requests.
   */
  private record Route(String name, boolean on) implements StepModel {}

  /** The share of requests a header route (a preview, the testers) sends at 0 %, in percent. */
  static final int PREVIEW_PERCENT = 2;

  private record SetWeight(int weight) implements StepModel {}

  private record Pause(@Nullable Duration duration) implements StepModel {}

  private record AnalysisStep(int count, @Nullable Duration duration) implements StepModel {}

  /** A metric as its query would see the world. */
  private record MetricModel(
      MetricSpec spec,
      DataShape shape,
      boolean latency,
      boolean compared,
      double quantile,
      int stepSeconds,
      int rangeSeconds) {}

  private final List<StepModel> steps = new ArrayList<>();
  private final List<MetricModel> metrics = new ArrayList<>();
  private final int intervalSeconds;
  private final int warmupSeconds;
  private final int failureLimit;
  private final int inconclusiveLimit;
  private final int maxDurationSeconds;
  private final boolean rollbackWhenUndecided;
  private final int deadlineSeconds;
  private final ScoreThresholds thresholds;
  private final GroupWeights weights;
  private final boolean measuresLatency;

  /**
   * @throws IllegalArgumentException naming what this model cannot read
   */
  public PlanModel(Map<String, ?> plan, Judges judges) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(plan, violations);
    if (r.has("blueGreen")) {
      // the steps a blue/green plan stands for, as the controller's BlueGreenReader expands it
      SettingsReader bg = r.object("blueGreen").orElseThrow();
      boolean judged = r.has("analysis");
      steps.add(new Route("preview", true));
      if (judged) {
        steps.add(
            new AnalysisStep(
                bg.integer("previewAnalyses", 1, 1, 1000), bg.optionalDuration("previewDuration")));
      }
      if (!bg.bool("autoPromote", judged)) {
        steps.add(new Pause(null));
      }
      steps.add(new SetWeight(100));
      Duration delay = bg.duration("scaleDownDelay", Duration.ofSeconds(30), true);
      if (!delay.isZero()) {
        steps.add(new Pause(delay));
      }
    }
    for (SettingsReader s : r.objects("steps")) {
      if (s.has("setHeaderRoute")) {
        SettingsReader h = s.object("setHeaderRoute").orElseThrow();
        steps.add(new Route(h.string("name").orElse(""), h.has("match")));
      } else if (s.has("setWeight")) {
        steps.add(new SetWeight(s.integer("setWeight", 0, 0, 100)));
      } else if (s.has("pause")) {
        steps.add(
            new Pause(s.object("pause").map(p -> p.optionalDuration("duration")).orElse(null)));
      } else if (s.has("approval")) {
        // a manual gate, as a pause without a duration: the simulated person answers it (approves)
        // at once with approvePauses, and never otherwise; the step's timeout is not modelled
        steps.add(new Pause(null));
      } else if (s.has("analysis")) {
        SettingsReader a = s.object("analysis").orElseThrow();
        steps.add(new AnalysisStep(a.integer("count", 1, 1, 1000), a.optionalDuration("duration")));
      }
    }
    SettingsReader a =
        r.object("analysis")
            .orElseThrow(() -> new IllegalArgumentException("the plan has no analysis"));
    // the simulation polls every 10 s: an interval between polls is judged at the next one
    int interval = seconds(a.duration("interval", Duration.ofMinutes(1)));
    intervalSeconds =
        Math.max(1, (interval + World.POLL_SECONDS - 1) / World.POLL_SECONDS) * World.POLL_SECONDS;
    warmupSeconds = seconds(a.duration("warmup", Duration.ZERO, true));
    failureLimit = a.integer("failureLimit", 0, 0, 1000);
    inconclusiveLimit = a.integer("inconclusiveLimit", 0, 0, 1000);
    maxDurationSeconds = seconds(a.duration("maxDuration", Duration.ofHours(1)));
    rollbackWhenUndecided = "rollback".equals(a.string("onUndecided").orElse("pause"));
    deadlineSeconds = seconds(r.duration("progressDeadline", Duration.ofMinutes(10)));
    thresholds = JudgingReader.scoreThresholds(a);
    Set<DataShape> shapes = new HashSet<>();
    for (SettingsReader m : a.objects("metrics")) {
      shapes.add(shapeOf(m));
    }
    JudgeOptions planJudge = JudgingReader.judge(a, judges, shapes, null);
    Set<String> groups = new HashSet<>();
    boolean latency = false;
    for (SettingsReader m : a.objects("metrics")) {
      String name = m.string("name").orElse("metric");
      DataShape shape = shapeOf(m);
      JudgeOptions fallback =
          judges.find(planJudge.type()).orElseThrow().shapes().contains(shape)
              ? planJudge
              : judges.defaultFor(shape).defaults();
      JudgeOptions judge =
          m.has("judge") ? JudgingReader.judge(m, judges, shape, fallback) : fallback;
      MetricSpec spec =
          JudgingReader.metric(m, name)
              .threshold(
                  m.object("threshold").map(t -> JudgingReader.threshold(t, true)).orElse(null))
              .judge(judge)
              .build();
      groups.add(spec.group());
      String query = queryOf(m);
      boolean isLatency =
          shape == DataShape.HISTOGRAM
              || query.contains("histogram_quantile")
              || query.contains("_bucket");
      latency |= isLatency;
      double quantile = 0.95;
      Matcher q = QUANTILE.matcher(query);
      if (q.find()) {
        quantile = Double.parseDouble(q.group(1));
      }
      Duration step =
          m.object("provider")
              .flatMap(p -> p.string("step"))
              .flatMap(Durations::parse)
              .orElse(Duration.ofMillis(Math.max(1000, intervalSeconds * 1000L / 60)));
      int range = intervalSeconds;
      Matcher rm = RANGE.matcher(query);
      if (rm.find()) {
        String text = rm.group(1).trim();
        if (!text.startsWith("${")) {
          range = seconds(Durations.parse(text).orElse(Duration.ofSeconds(intervalSeconds)));
        }
      }
      metrics.add(
          new MetricModel(
              spec,
              shape,
              isLatency,
              m.raw().get("query") instanceof Map<?, ?> q2 && q2.get("baseline") != null,
              quantile,
              (int) Math.max(1, step.toSeconds()),
              range));
    }
    measuresLatency = latency;
    weights = new GroupWeights(JudgingReader.groupWeights(a, groups));
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("the plan does not read: " + violations);
    }
  }

  private static DataShape shapeOf(SettingsReader m) {
    // a router's ready-made http-latency is a histogram; its http-error-rate is counts, as is
    // every stored template the docs show
    if ("http-latency".equals(m.raw().get("template"))) {
      return DataShape.HISTOGRAM;
    }
    if (m.raw().get("counts") != null || m.raw().get("template") != null) {
      return DataShape.COUNTS;
    }
    return m.raw().get("histogram") != null ? DataShape.HISTOGRAM : DataShape.SERIES;
  }

  private static String queryOf(SettingsReader m) {
    Object query = m.raw().get("query");
    if (query instanceof String s) {
      return s;
    }
    if (query instanceof Map<?, ?> q && q.get("canary") instanceof String s) {
      return s;
    }
    Object histogram = m.raw().get("histogram");
    if (histogram instanceof String s) {
      return s;
    }
    Object counts = m.raw().get("counts");
    return counts instanceof Map<?, ?> c && c.get("bad") instanceof String s ? s : "";
  }

  private static int seconds(Duration d) {
    return (int) Math.max(0, d.toSeconds());
  }

  /**
   * Runs one rollout of this plan in {@code world} until it ends or {@code horizon} passes.
   *
   * @param oracle when given, judges every metric that has baseline data instead of its own judge
   *     (it is told the time of each tick)
   */
  public Outcome run(
      World world, long seed, Duration horizon, @Nullable Function<int[], Judge> oracle) {
    return run(world, seed, horizon, oracle, false);
  }

  /**
   * As {@link #run(World, long, Duration, Function)}; with {@code approvePauses} a person approves
   * every pause step without a duration as soon as the rollout reaches it (a manual gate), rather
   * than the rollout holding there.
   */
  public Outcome run(
      World world,
      long seed,
      Duration horizon,
      @Nullable Function<int[], Judge> oracle,
      boolean approvePauses) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] clock = new int[1];
    JudgementEngine engine =
        oracle == null ? new JudgementEngine() : new JudgementEngine(oracle.apply(clock));
    List<World.Poll> polls = new ArrayList<>();
    JudgeState state = JudgeState.EMPTY;
    int stepIndex = 0;
    boolean entered = false;
    int stepStart = 0;
    int waitingSince = 0;
    int weight = 0;
    int weightChangedAt = 0;
    java.util.Set<String> routes = new java.util.HashSet<>();
    Integer lastWindowEnd = null;
    int passing = 0;
    int failures = 0;
    int inconclusives = 0;
    boolean paused = false;
    String lastVerdict = "";
    int lastProgress = 0;
    int end = seconds(horizon);
    for (int t = 0; t <= end; t += World.POLL_SECONDS) {
      clock[0] = t;
      if (t > 0) {
        int share = weight == 0 && !routes.isEmpty() ? PREVIEW_PERCENT : weight;
        polls.add(world.poll(random, t, share, measuresLatency));
      }
      if (!paused && t > lastProgress + deadlineSeconds) {
        return new Outcome(Result.ROLLED_BACK, t / 60.0);
      }
      // an analysis when a full window after the weight's warm-up is in
      boolean onAnalysisStep =
          stepIndex < steps.size() && steps.get(stepIndex) instanceof AnalysisStep;
      int windowStart =
          lastWindowEnd != null && lastWindowEnd > weightChangedAt + warmupSeconds
              ? lastWindowEnd
              : weightChangedAt + warmupSeconds;
      if (((weight > 0 && weight < 100) || onAnalysisStep) && t >= windowStart + intervalSeconds) {
        Judgement j = engine.judge(inputs(polls, windowStart, t), weights, thresholds, state);
        state = j.state();
        lastWindowEnd = t;
        lastVerdict = j.verdict().name();
        switch (outcome(j)) {
          case "FAILURE" -> {
            failures++;
            if (failures > failureLimit) {
              return new Outcome(Result.ROLLED_BACK, t / 60.0);
            }
          }
          case "INCONCLUSIVE" -> {
            inconclusives++;
            if (inconclusives > inconclusiveLimit && !paused) {
              paused = true; // for a person, who does not come in a simulation
            }
          }
          case "SUCCESS" -> {
            passing++;
            lastProgress = t;
          }
          default -> lastProgress = t; // undecided: evidence accumulating
        }
      }
      if (paused) {
        continue; // a paused rollout is still judged, and still rolled back on failure
      }
      if (stepIndex < steps.size()
          && waitsOnAnalysis(steps.get(stepIndex))
          && "UNDECIDED".equals(lastVerdict)
          && t >= waitingSince + maxDurationSeconds) {
        if (rollbackWhenUndecided) {
          return new Outcome(Result.ROLLED_BACK, t / 60.0);
        }
        paused = true;
        continue;
      }
      // walk the steps
      while (stepIndex < steps.size()) {
        StepModel step = steps.get(stepIndex);
        if (!entered) {
          entered = true;
          stepStart = t;
          waitingSince = t;
          passing = 0;
          if (step instanceof SetWeight w && w.weight() != weight) {
            weight = w.weight();
            weightChangedAt = t;
            lastWindowEnd = null;
            lastProgress = t;
          }
          if (step instanceof Route route) {
            // the canary's traffic changed: windows start afresh, as the controller's do
            if (route.on()) {
              routes.add(route.name());
            } else {
              routes.remove(route.name());
            }
            weightChangedAt = t;
            lastWindowEnd = null;
          }
        }
        boolean complete;
        if (step instanceof SetWeight w) {
          complete = w.weight() == 100 || passing >= 1;
        } else if (step instanceof Route) {
          complete = true;
        } else if (step instanceof AnalysisStep s) {
          Duration least = s.duration();
          complete = passing >= s.count() && (least == null || t >= stepStart + seconds(least));
        } else {
          Duration d = ((Pause) step).duration();
          complete = d != null ? t >= stepStart + seconds(d) : approvePauses;
        }
        if (!complete) {
          break;
        }
        stepIndex++;
        entered = false;
        lastProgress = t;
      }
      if (stepIndex >= steps.size()) {
        return new Outcome(Result.PROMOTED, t / 60.0);
      }
      if (steps.get(stepIndex) instanceof Pause p && p.duration() == null) {
        lastProgress = t; // held for a person: progressDeadline does not run while paused
      }
    }
    return new Outcome(Result.UNDECIDED, end / 60.0);
  }

  private static boolean waitsOnAnalysis(StepModel step) {
    return step instanceof AnalysisStep
        || (step instanceof SetWeight w && w.weight() > 0 && w.weight() < 100);
  }

  /** The controller's reading of a judgement (AnalysisRunner.outcome), without backend errors. */
  private static String outcome(Judgement j) {
    if (j.metrics().stream().anyMatch(MetricResult::criticalFailure)
        || j.verdict() == Verdict.FAIL) {
      return "FAILURE";
    }
    boolean someNoData =
        j.metrics().stream()
            .anyMatch(m -> m.classification() == dev.aviary.analysis.judge.Classification.NODATA);
    if (j.verdict() == Verdict.PASS && !someNoData) {
      return "SUCCESS";
    }
    if (j.verdict() == Verdict.UNDECIDED && !someNoData) {
      return "UNDECIDED";
    }
    return "INCONCLUSIVE";
  }

  /** What each metric's query returns for the window that ends at {@code end}. */
  private List<MetricInput> inputs(List<World.Poll> polls, int start, int end) {
    List<MetricInput> inputs = new ArrayList<>();
    for (MetricModel m : metrics) {
      inputs.add(
          switch (m.shape()) {
            case COUNTS -> MetricInput.counted(m.spec(), counts(polls, start, end));
            case HISTOGRAM -> MetricInput.histogram(m.spec(), histogram(polls, start, end));
            case SERIES -> series(m, polls, start, end);
          });
    }
    return inputs;
  }

  /** Polls ending in (from, to]: the 10 s poll ending at 10·(i+1) is polls.get(i). */
  private static List<World.Poll> between(List<World.Poll> polls, int from, int to) {
    int first = Math.max(0, from / World.POLL_SECONDS);
    int last = Math.min(polls.size(), to / World.POLL_SECONDS);
    return first >= last ? List.of() : polls.subList(first, last);
  }

  private static Counts counts(List<World.Poll> polls, int start, int end) {
    double cb = 0;
    double ct = 0;
    double bb = 0;
    double bt = 0;
    for (World.Poll p : between(polls, start, end)) {
      cb += p.canaryBad();
      ct += p.canaryTotal();
      bb += p.baselineBad();
      bt += p.baselineTotal();
    }
    return new Counts(cb, ct, bb, bt);
  }

  private static Histogram histogram(List<World.Poll> polls, int start, int end) {
    double[] canary = new double[World.BOUNDS.length];
    double[] baseline = new double[World.BOUNDS.length];
    for (World.Poll p : between(polls, start, end)) {
      for (int i = 0; i < canary.length; i++) {
        canary[i] += p.canaryBuckets()[i];
        baseline[i] += p.baselineBuckets()[i];
      }
    }
    return new Histogram(World.BOUNDS, canary, baseline);
  }

  /**
   * A range query's points: one per step over the window, each the error ratio (or the latency
   * quantile) over the query's range selector before it — overlapping when the range is longer than
   * the step, repeated within a poll when the step is shorter than the 10 s scrape.
   */
  private static MetricInput series(MetricModel m, List<World.Poll> polls, int start, int end) {
    int n = Math.max(1, (end - start) / m.stepSeconds());
    double[] canary = new double[n];
    double[] baseline = new double[n];
    for (int i = 0; i < n; i++) {
      int t = start + (i + 1) * m.stepSeconds();
      int range = Math.max(m.rangeSeconds(), World.POLL_SECONDS);
      List<World.Poll> in =
          between(polls, ((t - range) / World.POLL_SECONDS) * World.POLL_SECONDS, t);
      if (m.latency()) {
        Histogram h = histogram(in.isEmpty() ? List.of() : in, 0, Integer.MAX_VALUE / 2);
        canary[i] = quantile(World.BOUNDS, h.canary(), m.quantile());
        baseline[i] = quantile(World.BOUNDS, h.baseline(), m.quantile());
      } else {
        Counts c = counts(in, 0, Integer.MAX_VALUE / 2);
        canary[i] = c.canaryTotal() > 0 ? c.canaryBad() / c.canaryTotal() : Double.NaN;
        baseline[i] = c.baselineTotal() > 0 ? c.baselineBad() / c.baselineTotal() : Double.NaN;
      }
    }
    return m.compared()
        ? MetricInput.compared(m.spec(), canary, baseline)
        : MetricInput.canaryOnly(m.spec(), canary);
  }

  /** Prometheus' histogram_quantile: linear interpolation within the bucket. */
  static double quantile(double[] bounds, double[] cumulative, double q) {
    double total = cumulative[cumulative.length - 1];
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (int i = 0; i < bounds.length; i++) {
      if (cumulative[i] >= rank) {
        if (Double.isInfinite(bounds[i])) {
          return bounds[i - 1];
        }
        double inBucket = cumulative[i] - lowerCount;
        return inBucket <= 0
            ? bounds[i]
            : lowerBound + (bounds[i] - lowerBound) * (rank - lowerCount) / inBucket;
      }
      lowerBound = bounds[i];
      lowerCount = cumulative[i];
    }
    return bounds[bounds.length - 2];
  }
}
