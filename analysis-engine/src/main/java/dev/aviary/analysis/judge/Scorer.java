package dev.aviary.analysis.judge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kayenta's weighted-sum scorer, made safe where Kayenta is lenient.
 *
 * <ul>
 *   <li>A group's score is the weighted share of its classified metrics that pass. PASS, HIGH, LOW
 *       and ERROR are classified (Kayenta leaves ERROR out, so an erroring metric could only help);
 *       NODATA is classified only for a metric that must have data.
 *   <li>A group with no classified metric is left out and the others' weights renormalised (Kayenta
 *       scores it 100, so absent data could lift the score).
 *   <li>A critical failure forces the score to 0 and the verdict to FAIL. At least half the metrics
 *       without data, or a critical metric without data, forces it to 0 with verdict NODATA: no
 *       evidence either way, which must not promote and is no proof of harm.
 *   <li>A metric a sequential judge has not decided yet (UNDECIDED) is left out of the score; if
 *       nothing else fails the verdict is UNDECIDED: the step waits, it neither passes nor fails.
 * </ul>
 */
final class Scorer {

  private Scorer() {}

  static Judgement score(
      List<MetricSpec> specs,
      List<MetricResult> results,
      GroupWeights groupWeights,
      ScoreThresholds thresholds,
      JudgeState state) {
    List<MetricSpec> activeSpecs = new ArrayList<>();
    List<MetricResult> active = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      if (!specs.get(i).muted()) {
        activeSpecs.add(specs.get(i));
        active.add(results.get(i));
      }
    }
    if (active.isEmpty()) {
      return new Judgement(
          Verdict.NODATA, 0, Map.of(), results, "no unmuted metric to judge", state);
    }
    for (MetricResult r : active) {
      if (r.criticalFailure()) {
        return new Judgement(
            Verdict.FAIL,
            0,
            Map.of(),
            results,
            "critical metric " + r.name() + " failed: " + r.reason(),
            state);
      }
    }
    long noData = 0;
    for (int i = 0; i < active.size(); i++) {
      MetricResult r = active.get(i);
      if (r.classification() == Classification.NODATA && !activeSpecs.get(i).mustHaveData()) {
        noData++;
        if (activeSpecs.get(i).critical()) {
          return new Judgement(
              Verdict.NODATA,
              0,
              Map.of(),
              results,
              "critical metric " + r.name() + " has no data",
              state);
        }
      }
    }
    long undecided =
        active.stream().filter(r -> r.classification() == Classification.UNDECIDED).count();
    if (noData * 2 >= active.size() - undecided && noData > 0) {
      return new Judgement(
          Verdict.NODATA,
          0,
          Map.of(),
          results,
          noData + " of " + active.size() + " metrics have no data",
          state);
    }

    Map<String, double[]> passAndTotal = new LinkedHashMap<>();
    Set<String> groups = new LinkedHashSet<>();
    for (int i = 0; i < active.size(); i++) {
      MetricSpec spec = activeSpecs.get(i);
      MetricResult r = active.get(i);
      groups.add(spec.group());
      boolean classified =
          r.classification() == Classification.NODATA
              ? spec.mustHaveData()
              : r.classification() != Classification.UNDECIDED;
      if (!classified) {
        continue;
      }
      double[] pt = passAndTotal.computeIfAbsent(spec.group(), g -> new double[2]);
      if (r.classification() == Classification.PASS) {
        pt[0] += spec.weight();
      }
      pt[1] += spec.weight();
    }
    Map<String, Double> weights = groupWeights.effective(groups);
    Map<String, Double> groupScores = new LinkedHashMap<>();
    double weighted = 0;
    double totalWeight = 0;
    for (Map.Entry<String, double[]> e : passAndTotal.entrySet()) {
      double groupScore = 100 * e.getValue()[0] / e.getValue()[1];
      groupScores.put(e.getKey(), round(groupScore));
      double w = weights.getOrDefault(e.getKey(), 0.0);
      weighted += groupScore * w;
      totalWeight += w;
    }
    if (totalWeight == 0 && undecided > 0) {
      return new Judgement(Verdict.UNDECIDED, 0, groupScores, results, waiting(active), state);
    }
    if (totalWeight == 0) {
      return new Judgement(
          Verdict.NODATA,
          0,
          groupScores,
          results,
          "no weighted group has a classified metric",
          state);
    }
    double score = round(weighted / totalWeight);
    Verdict verdict = thresholds.classify(score);
    if (undecided > 0 && verdict != Verdict.FAIL) {
      return new Judgement(
          Verdict.UNDECIDED,
          score,
          groupScores,
          results,
          explain(score, thresholds, active) + "; " + waiting(active),
          state);
    }
    return new Judgement(
        verdict, score, groupScores, results, explain(score, thresholds, active), state);
  }

  private static String waiting(List<MetricResult> active) {
    List<String> names = new ArrayList<>();
    for (MetricResult r : active) {
      if (r.classification() == Classification.UNDECIDED) {
        names.add(r.name());
      }
    }
    return "undecided, waiting for more evidence on " + String.join(", ", names);
  }

  private static String explain(
      double score, ScoreThresholds thresholds, List<MetricResult> active) {
    List<String> failing = new ArrayList<>();
    for (MetricResult r : active) {
      if (r.classification() != Classification.PASS
          && r.classification() != Classification.NODATA
          && r.classification() != Classification.UNDECIDED) {
        failing.add(r.name() + " " + r.classification());
      }
    }
    String head =
        "score "
            + Format.num(score)
            + " against pass "
            + Format.num(thresholds.pass())
            + " and marginal "
            + Format.num(thresholds.marginal());
    if (failing.isEmpty()) {
      return head + "; every judged metric passed";
    }
    return head + "; not passing: " + String.join(", ", failing);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
