package dev.aviary.controller.judgement;

import dev.aviary.analysis.judge.Judgement;
import dev.aviary.analysis.judge.MetricResult;
import dev.aviary.analysis.stats.Summary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON form of a judgement, shared by the judgement API and rollout analyses. */
public final class JudgementJson {

  private JudgementJson() {}

  public static Map<String, Object> render(Judgement j) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("verdict", j.verdict().name());
    body.put("score", j.score());
    body.put("reason", j.reason());
    body.put("groupScores", j.groupScores());
    List<Object> metrics = new ArrayList<>();
    for (MetricResult r : j.metrics()) {
      metrics.add(metric(r));
    }
    body.put("metrics", metrics);
    return body;
  }

  public static Map<String, Object> metric(MetricResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", r.name());
    m.put("group", r.group());
    m.put("classification", r.classification().name());
    m.put("criticalFailure", r.criticalFailure());
    m.put("judge", r.judge());
    put(m, "value", r.value());
    put(m, "pValue", r.pValue());
    if (r.lowerBound() != null && r.upperBound() != null) {
      m.put("confidenceInterval", Arrays.asList(finite(r.lowerBound()), finite(r.upperBound())));
    }
    put(m, "estimate", r.estimate());
    put(m, "effectSize", r.effectSize());
    if (r.canary() != null) {
      m.put("canary", summary(r.canary()));
    }
    if (r.baseline() != null) {
      m.put("baseline", summary(r.baseline()));
    }
    m.put("reason", r.reason());
    return m;
  }

  private static Map<String, Object> summary(Summary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", s.count());
    put(m, "min", s.min());
    put(m, "max", s.max());
    put(m, "mean", s.mean());
    put(m, "stdev", s.stdev());
    return m;
  }

  /** JSON has no NaN or infinity: such values are written as null. */
  private static void put(Map<String, Object> m, String key, Double value) {
    if (value != null) {
      m.put(key, finite(value));
    }
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
