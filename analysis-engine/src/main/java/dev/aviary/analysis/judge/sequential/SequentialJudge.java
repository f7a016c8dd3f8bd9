package dev.aviary.analysis.judge.sequential;

import dev.aviary.analysis.judge.Classification;
import dev.aviary.analysis.judge.Counts;
import dev.aviary.analysis.judge.Format;
import dev.aviary.analysis.judge.Histogram;
import dev.aviary.analysis.judge.Judge;
import dev.aviary.analysis.judge.JudgeContext;
import dev.aviary.analysis.judge.JudgeMemory;
import dev.aviary.analysis.judge.MetricInput;
import dev.aviary.analysis.judge.MetricResult;
import dev.aviary.analysis.judge.MetricSpec;
import dev.aviary.analysis.stats.RateBelowEvidence;
import dev.aviary.analysis.stats.RateRatioEvidence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Judges a rate ratio sequentially over the whole rollout: every tick adds the window's counts to
 * the evidence kept in the judge's memory, and the metric is
 *
 * <ul>
 *   <li>HIGH (and decisive: the analysis fails whatever the other metrics say) as soon as the
 *       evidence that the canary's rate exceeds {@code allowedIncrease} times the baseline's
 *       reaches {@code 1/α};
 *   <li>PASS while the evidence that it is below {@code maxIncrease} times the baseline's is at
 *       least {@code 1/α} (or, for counts with {@code passBelow}, that its own rate is below that
 *       share) — a canary that worsens later, after a weight change say, stops passing as its
 *       evidence of safety falls;
 *   <li>UNDECIDED until then: the step waits.
 * </ul>
 *
 * <p>{@code α} is the plan's {@code alpha} divided among the analysis's sequential metrics, so the
 * chance that a canary as good as its baseline is ever rolled back by any of them is at most {@code
 * alpha}, however many ticks the rollout lasts ({@link RateRatioEvidence}).
 *
 * <p>A latency histogram is judged at up to four bucket bounds, placed once at the baseline's
 * median, 90th and 99th percentiles (the smallest bound at or above each) and in the tail beyond
 * (at or above 1.5 × the p99 bound): the share of requests slower than each bound is a rate, and
 * the three rate ratios are judged together — harm by the mean of their evidence (itself an
 * e-process), a pass only when all three are shown non-inferior. A slowdown of the tail alone moves
 * the share slower than the 99th percentile even when the median stays put.
 */
public final class SequentialJudge implements Judge {

  public static final String TYPE = "sequential";

  /**
   * Baseline requests seen before the latency bounds are placed: enough for about ten above the
   * 99th percentile.
   */
  static final double MIN_BASELINE_FOR_BOUNDS = 1000;

  private static final double[] QUANTILES = {0.5, 0.9, 0.99};
  private static final String[] LABELS = {"p50", "p90", "p99"};

  /**
   * The bound beyond the 99th percentile, where a slower tail shows: what was the slowest 1 % moves
   * past 1.5 × the baseline's p99 bound when it is 2 × slower, while the baseline has hardly any
   * requests there. Judged for harm only: nothing needs to be shown safe in so thin a tail before a
   * canary passes.
   */
  private static final String TAIL = "tail";

  private static final double TAIL_FACTOR = 1.5;
  private static final String RATIO = "r.";
  private static final String BOUND = "bound.";
  private static final String SEEN = "seen.";

  private final SequentialOptions options;

  public SequentialJudge(SequentialOptions options) {
    this.options = options;
  }

  public SequentialJudge() {
    this(SequentialOptions.DEFAULT);
  }

  @Override
  public String type() {
    return TYPE;
  }

  public SequentialOptions options() {
    return options;
  }

  @Override
  public MetricResult classify(MetricInput input, JudgeContext context) {
    MetricSpec spec = input.spec();
    String error = input.error();
    if (error != null) {
      return MetricResult.simple(spec, TYPE, Classification.ERROR, error);
    }
    double alpha = options.alpha() / context.family();
    try {
      Counts counts = input.counts();
      if (counts != null) {
        return counts(spec, counts, context.memory(), alpha);
      }
      Histogram histogram = input.histogram();
      if (histogram != null) {
        return histogram(spec, histogram, context.memory(), alpha);
      }
    } catch (IllegalArgumentException e) {
      return MetricResult.simple(spec, TYPE, Classification.ERROR, String.valueOf(e.getMessage()));
    }
    return MetricResult.simple(
        spec,
        TYPE,
        Classification.ERROR,
        "the sequential judge judges counts or latency histograms; declare the metric with"
            + " \"counts\": {\"bad\": ..., \"total\": ...} or \"histogram\"");
  }

  private RateRatioEvidence restore(JudgeMemory memory, String prefix) {
    return RateRatioEvidence.fromState(
        memory.read(prefix), options.allowedIncrease(), options.maxIncrease());
  }

  private MetricResult counts(MetricSpec spec, Counts counts, JudgeMemory memory, double alpha) {
    String problem = counts.problem();
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    RateRatioEvidence evidence = restore(memory, RATIO);
    evidence.add(poll(counts));
    memory.write(RATIO, evidence.toState());
    double threshold = 1 / alpha;
    double harm = evidence.harmEvidence();
    double safety = evidence.safetyEvidence();
    Double passBelow = options.passBelow();
    double quiet =
        passBelow == null
            ? 0
            : RateBelowEvidence.of(evidence.canaryBad(), evidence.canaryTotal(), passBelow);
    boolean silent = counts.canaryTotal() <= 0 || counts.baselineTotal() <= 0;
    Classification c;
    String decision;
    if (silent && harm < threshold) {
      // a window in which a side served nothing shows nothing: it never passes a step
      c = Classification.UNDECIDED;
      decision =
          (counts.canaryTotal() <= 0 ? "the canary" : "the baseline")
              + " served no requests in this window: nothing to judge";
    } else if (harm >= threshold) {
      c = Classification.HIGH;
      decision =
          "proven worse than "
              + times(options.allowedIncrease())
              + " the baseline (evidence "
              + Format.num(harm)
              + " reached "
              + Format.num(threshold)
              + ")";
    } else if (safety >= threshold || quiet >= threshold) {
      c = Classification.PASS;
      decision =
          safety >= threshold
              ? "shown no worse than "
                  + times(options.maxIncrease())
                  + " the baseline (evidence "
                  + Format.num(safety)
                  + " reached "
                  + Format.num(threshold)
                  + ")"
              : "its rate shown below "
                  + Format.num(passBelow == null ? 0 : passBelow)
                  + " (evidence "
                  + Format.num(quiet)
                  + " reached "
                  + Format.num(threshold)
                  + ")";
    } else {
      c = Classification.UNDECIDED;
      decision =
          "needs more traffic to decide (evidence of harm "
              + Format.num(harm)
              + ", of safety "
              + Format.num(Math.max(safety, quiet))
              + "; either decides at "
              + Format.num(threshold)
              + ")";
    }
    double[] cs = evidence.confidenceSequence(alpha);
    Map<String, Double> stats = statistics(evidence, cs, threshold);
    stats.put("quietEvidence", quiet);
    String reason =
        "canary "
            + count(evidence.canaryBad())
            + " bad / "
            + count(evidence.canaryTotal())
            + " vs baseline "
            + count(evidence.baselineBad())
            + " / "
            + count(evidence.baselineTotal())
            + "; ratio "
            + interval(evidence, cs)
            + "; "
            + decision;
    return result(spec, c, evidence.estimate(), stats, reason);
  }

  private MetricResult histogram(
      MetricSpec spec, Histogram histogram, JudgeMemory memory, double alpha) {
    String problem = histogram.problem();
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    Map<String, Double> bounds = memory.read(BOUND);
    if (bounds.isEmpty()) {
      // the baseline's percentiles, from its requests so far: the 99th needs a thousand or so
      double[] seen = histogram.baseline();
      Map<String, Double> before = memory.read(SEEN);
      if (before.size() == seen.length) {
        for (int i = 0; i < seen.length; i++) {
          seen[i] += before.getOrDefault(String.valueOf(i), 0.0);
        }
      }
      double total = seen[seen.length - 1];
      if (total < MIN_BASELINE_FOR_BOUNDS) {
        Map<String, Double> kept = new LinkedHashMap<>();
        for (int i = 0; i < seen.length; i++) {
          kept.put(String.valueOf(i), seen[i]);
        }
        memory.write(SEEN, kept);
        return MetricResult.simple(
            spec,
            TYPE,
            Classification.UNDECIDED,
            "placing the latency bounds at the baseline's percentiles: "
                + count(total)
                + " of "
                + count(MIN_BASELINE_FOR_BOUNDS)
                + " baseline requests seen");
      }
      memory.write(SEEN, Map.of());
      bounds = placeBounds(new Histogram(histogram.bounds(), seen, seen));
      if (bounds.isEmpty()) {
        return MetricResult.simple(
            spec,
            TYPE,
            Classification.UNDECIDED,
            "the baseline's requests all fall in one bucket: no bound to compare the sides at");
      }
      memory.write(BOUND, bounds);
    }
    double threshold = 1 / alpha;
    double harmSum = 0;
    double safetyMin = Double.POSITIVE_INFINITY;
    Map<String, Double> stats = new LinkedHashMap<>();
    List<String> parts = new ArrayList<>();
    String worst = "";
    double worstHarm = -1;
    double worstEstimate = 1;
    for (Map.Entry<String, Double> b : bounds.entrySet()) {
      int index = indexOf(histogram.bounds(), b.getValue());
      if (index < 0) {
        throw new IllegalArgumentException(
            "the histogram's buckets changed: the bound "
                + Format.num(b.getValue())
                + " placed at the baseline's "
                + b.getKey()
                + " is gone");
      }
      String label = b.getKey();
      RateRatioEvidence evidence = restore(memory, label + ".");
      evidence.add(poll(histogram.slowerThan(index)));
      memory.write(label + ".", evidence.toState());
      double harm = evidence.harmEvidence();
      double safety = evidence.safetyEvidence();
      harmSum += harm;
      if (!label.equals(TAIL)) {
        safetyMin = Math.min(safetyMin, safety);
      }
      double[] cs = evidence.confidenceSequence(alpha);
      for (Map.Entry<String, Double> s : statistics(evidence, cs, threshold).entrySet()) {
        stats.put(label + "." + s.getKey(), s.getValue());
      }
      stats.put(label + ".bound", b.getValue());
      String part =
          "slower than "
              + Format.num(b.getValue())
              + (label.equals(TAIL)
                  ? " (the tail, 1.5× the p99 bound)"
                  : " (baseline " + label + ")")
              + ": canary "
              + percent(evidence.canaryBad(), evidence.canaryTotal())
              + " vs baseline "
              + percent(evidence.baselineBad(), evidence.baselineTotal())
              + ", ratio "
              + interval(evidence, cs);
      parts.add(part);
      if (harm > worstHarm) {
        worstHarm = harm;
        worst = part;
        worstEstimate = evidence.estimate();
      }
    }
    double harm = harmSum / bounds.size();
    stats.put("harmEvidence", harm);
    stats.put("safetyEvidence", safetyMin);
    stats.put("threshold", threshold);
    Classification c;
    String reason;
    if (harm < threshold && (histogram.canaryTotal() <= 0 || histogram.baselineTotal() <= 0)) {
      c = Classification.UNDECIDED;
      reason =
          (histogram.canaryTotal() <= 0 ? "the canary" : "the baseline")
              + " served no requests in this window: nothing to judge";
    } else if (harm >= threshold) {
      c = Classification.HIGH;
      reason =
          worst
              + "; proven slower than the baseline (evidence "
              + Format.num(harm)
              + " reached "
              + Format.num(threshold)
              + ")";
    } else if (safetyMin >= threshold) {
      c = Classification.PASS;
      reason =
          String.join("; ", parts)
              + "; shown no worse than "
              + times(options.maxIncrease())
              + " the baseline at every bound";
    } else {
      c = Classification.UNDECIDED;
      reason =
          String.join("; ", parts)
              + "; needs more traffic to decide (evidence of harm "
              + Format.num(harm)
              + ", of safety "
              + Format.num(safetyMin)
              + "; either decides at "
              + Format.num(threshold)
              + ")";
    }
    return result(spec, c, worstEstimate, stats, reason);
  }

  /**
   * The smallest finite bucket bounds at or above the baseline's median, 90th and 99th percentiles
   * — the 99th's bound is where a slower tail shows, even when the median does not move — each with
   * some requests slower than it; one bound serves the first percentile that picks it.
   */
  static Map<String, Double> placeBounds(Histogram h) {
    double[] bounds = h.bounds();
    double[] baseline = h.baseline();
    double total = h.baselineTotal();
    Map<String, Double> placed = new LinkedHashMap<>();
    for (int q = 0; q < QUANTILES.length; q++) {
      for (int i = 0; i < bounds.length; i++) {
        double share = baseline[i] / total;
        if (Double.isInfinite(bounds[i]) || share >= 1) {
          break;
        }
        if (share >= QUANTILES[q]) {
          if (!placed.containsValue(bounds[i])) {
            placed.put(LABELS[q], bounds[i]);
          }
          break;
        }
      }
    }
    Double p99 = placed.get("p99");
    if (p99 != null) {
      for (double bound : bounds) {
        if (Double.isFinite(bound) && bound >= TAIL_FACTOR * p99 * (1 - 1e-9)) {
          placed.put(TAIL, bound);
          break;
        }
      }
    }
    return placed;
  }

  private static int indexOf(double[] bounds, double bound) {
    for (int i = 0; i < bounds.length; i++) {
      if (Math.abs(bounds[i] - bound) <= 1e-9 * Math.max(1, Math.abs(bound))) {
        return i;
      }
    }
    return -1;
  }

  private static RateRatioEvidence.Poll poll(Counts c) {
    return new RateRatioEvidence.Poll(
        c.canaryBad(), c.canaryTotal(), c.baselineBad(), c.baselineTotal());
  }

  private static Map<String, Double> statistics(
      RateRatioEvidence evidence, double[] cs, double threshold) {
    Map<String, Double> stats = new LinkedHashMap<>();
    stats.put("canaryBad", evidence.canaryBad());
    stats.put("canaryTotal", evidence.canaryTotal());
    stats.put("baselineBad", evidence.baselineBad());
    stats.put("baselineTotal", evidence.baselineTotal());
    stats.put("ratio", evidence.estimate());
    stats.put("ratioLower", cs[0]);
    stats.put("ratioUpper", cs[1]);
    stats.put("harmEvidence", evidence.harmEvidence());
    stats.put("safetyEvidence", evidence.safetyEvidence());
    stats.put("threshold", threshold);
    stats.put("correlation", evidence.correlation());
    stats.put("polls", (double) evidence.polls());
    return stats;
  }

  private static MetricResult result(
      MetricSpec spec,
      Classification c,
      double estimate,
      Map<String, Double> stats,
      String reason) {
    return new MetricResult(
        spec.name(),
        spec.group(),
        c,
        c == Classification.HIGH, // proven harm is decisive: its alpha is the rollback budget
        TYPE,
        null,
        null,
        stats.get("ratioLower"),
        stats.get("ratioUpper"),
        estimate,
        estimate,
        null,
        null,
        stats,
        reason);
  }

  private static String interval(RateRatioEvidence evidence, double[] cs) {
    if (evidence.events() == 0) {
      return "unknown (no bad events yet)";
    }
    // the grid's ends stand for anything beyond them
    return Format.num(round(evidence.estimate()))
        + " ["
        + (cs[0] <= 1 / 15.99 ? "0" : Format.num(round(cs[0])))
        + ", "
        + (cs[1] >= 15.99 ? "16+" : Format.num(round(cs[1])))
        + "]";
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static String times(double ratio) {
    return Format.num(ratio) + "×";
  }

  private static String count(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String percent(double bad, double total) {
    return total > 0 ? Format.num(round(100 * bad / total)) + " %" : "no requests";
  }
}
