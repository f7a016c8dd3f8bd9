package dev.aviary.controller.plan;

import dev.aviary.analysis.judge.EffectSize;
import dev.aviary.analysis.judge.MetricSpec;
import dev.aviary.analysis.judge.Threshold;
import dev.aviary.analysis.metrics.SeriesAggregation;
import dev.aviary.kernel.Durations;
import dev.aviary.kernel.SecretRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link PlanSpec} back as a plan document with every default filled in: what is stored,
 * and what GET answers. {@link PlanReader} reads it back to the same spec.
 */
public final class PlanWriter {

  private PlanWriter() {}

  public static Map<String, Object> write(PlanSpec plan) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("name", plan.name());
    doc.put("description", plan.description());
    doc.put("labels", new LinkedHashMap<>(plan.labels()));
    Map<String, Object> router = new LinkedHashMap<>();
    router.put("type", plan.router().type());
    router.putAll(plan.router().settings());
    doc.put("router", router);
    List<Object> steps = new ArrayList<>();
    for (Step step : plan.steps()) {
      steps.add(step(step));
    }
    doc.put("steps", steps);
    if (plan.analysis() != null) {
      doc.put("analysis", analysis(plan.analysis()));
    }
    List<Object> notifications = new ArrayList<>();
    for (NotificationSpec n : plan.notifications()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("url", n.url().toString());
      m.put("format", n.format());
      if (n.signingSecret() != null) {
        m.put("signingSecret", secret(n.signingSecret()));
      }
      notifications.add(m);
    }
    doc.put("notifications", notifications);
    doc.put("progressDeadline", duration(plan.progressDeadline()));
    return doc;
  }

  static Map<String, Object> step(Step step) {
    return StepHandlers.write(step);
  }

  private static Map<String, Object> analysis(AnalysisSpec a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("interval", duration(a.interval()));
    m.put("warmup", duration(a.warmup()));
    m.put("failureLimit", a.failureLimit());
    m.put("inconclusiveLimit", a.inconclusiveLimit());
    m.put("consecutiveErrorLimit", a.consecutiveErrorLimit());
    m.put("errorAction", a.errorAction().name().toLowerCase(java.util.Locale.ROOT));
    m.put(
        "thresholds", Map.of("pass", a.thresholds().pass(), "marginal", a.thresholds().marginal()));
    m.put("judge", a.judge().toDocument());
    m.put("groupWeights", new LinkedHashMap<>(a.groupWeights()));
    List<Object> metrics = new ArrayList<>();
    for (MetricDefinition d : a.metrics()) {
      metrics.add(metric(d));
    }
    m.put("metrics", metrics);
    return m;
  }

  private static Map<String, Object> metric(MetricDefinition d) {
    MetricSpec s = d.judging();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    Map<String, Object> provider = new LinkedHashMap<>();
    provider.put("type", d.provider().type());
    provider.putAll(d.provider().settings());
    m.put("provider", provider);
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("canary", d.canaryQuery());
    if (d.baselineQuery() != null) {
      query.put("baseline", d.baselineQuery());
    }
    m.put("query", query);
    if (d.seriesAggregation() != SeriesAggregation.NONE) {
      m.put("seriesAggregation", d.seriesAggregation().wireName());
    }
    if (d.judgeOverride() != null) {
      m.put("judge", d.judgeOverride().toDocument());
    }
    m.put("direction", s.direction().wireName());
    if (s.threshold() != null) {
      m.put("threshold", threshold(s.threshold()));
    }
    m.put("critical", s.critical());
    m.put("mustHaveData", s.mustHaveData());
    m.put("muted", s.muted());
    m.put("group", s.group());
    m.put("weight", s.weight());
    m.put("nanStrategy", s.nanStrategy().wireName());
    if (s.outlierFactor() != null) {
      m.put("outliers", Map.of("strategy", "remove", "factor", s.outlierFactor()));
    }
    EffectSize e = s.effectSize();
    m.put(
        "effectSize",
        Map.of(
            "allowedIncrease", e.allowedIncrease(),
            "allowedDecrease", e.allowedDecrease(),
            "criticalIncrease", e.criticalIncrease(),
            "criticalDecrease", e.criticalDecrease()));
    return m;
  }

  private static Map<String, Object> threshold(Threshold t) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (t.min() != null) {
      m.put("min", t.min());
    }
    if (t.max() != null) {
      m.put("max", t.max());
    }
    m.put("reducer", t.reducer().wireName());
    return m;
  }

  private static Map<String, Object> secret(SecretRef ref) {
    return ref.toDocument();
  }

  private static String duration(Duration d) {
    return Durations.format(d);
  }
}
