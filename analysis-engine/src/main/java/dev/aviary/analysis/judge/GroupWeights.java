package dev.aviary.analysis.judge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Weights of the scoring groups, in percent. Groups without a weight share what the configured
 * weights leave of 100 equally (Kayenta's rule); with no weights at all every group weighs the
 * same.
 */
public record GroupWeights(Map<String, Double> weights) {

  public static final GroupWeights EQUAL = new GroupWeights(Map.of());
  private static final double EPSILON = 1e-9;

  public GroupWeights {
    weights = weights == null ? Map.of() : Map.copyOf(weights);
  }

  /**
   * What is wrong with these weights for metrics in {@code groups}: negative weights, weights for
   * groups no metric uses, sums above 100, or, when every group is weighted, sums other than 100.
   * Each entry is {@code [group or "", message]}.
   */
  public List<String[]> problems(Set<String> groups) {
    List<String[]> problems = new ArrayList<>();
    double sum = 0;
    for (Map.Entry<String, Double> e : weights.entrySet()) {
      double w = e.getValue();
      if (!(w >= 0) || Double.isInfinite(w)) {
        problems.add(new String[] {e.getKey(), "must be a number of at least 0"});
      } else {
        sum += w;
      }
      if (!groups.contains(e.getKey())) {
        problems.add(new String[] {e.getKey(), "no metric belongs to group '" + e.getKey() + "'"});
      }
    }
    if (sum > 100 + EPSILON) {
      problems.add(new String[] {"", "group weights add up to " + Format.num(sum) + ", above 100"});
    } else if (weights.keySet().containsAll(groups)
        && !weights.isEmpty()
        && Math.abs(sum - 100) > EPSILON) {
      problems.add(
          new String[] {
            "", "every group is weighted, so the weights must add up to 100, not " + Format.num(sum)
          });
    }
    return problems;
  }

  /** The weight each of {@code groups} carries. */
  Map<String, Double> effective(Set<String> groups) {
    Map<String, Double> result = new LinkedHashMap<>();
    double configured = 0;
    int unweighted = 0;
    for (String g : groups) {
      Double w = weights.get(g);
      if (w == null) {
        unweighted++;
      } else {
        configured += w;
      }
    }
    double share = unweighted == 0 ? 0 : Math.max(0, 100 - configured) / unweighted;
    if (weights.isEmpty()) {
      share = 100.0 / Math.max(1, groups.size());
    }
    for (String g : groups) {
      result.put(g, weights.getOrDefault(g, share));
    }
    return result;
  }
}
