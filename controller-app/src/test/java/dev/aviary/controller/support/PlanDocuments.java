package dev.aviary.controller.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds plan documents for tests: {@code aPlan("checkout").withWeights(10, 50, 100).build()}. */
public final class PlanDocuments {

  private final Map<String, Object> doc = new LinkedHashMap<>();
  private final List<Object> steps = new ArrayList<>();
  private final List<Object> metrics = new ArrayList<>();
  private final Map<String, Object> analysis = new LinkedHashMap<>();

  private PlanDocuments(String name) {
    doc.put("name", name);
    doc.put("router", Map.of("type", "dry-run"));
  }

  public static PlanDocuments aPlan(String name) {
    return new PlanDocuments(name);
  }

  public PlanDocuments withLabels(Map<String, String> labels) {
    doc.put("labels", labels);
    return this;
  }

  public PlanDocuments withRouter(Map<String, Object> router) {
    doc.put("router", router);
    return this;
  }

  public PlanDocuments withWeights(int... weights) {
    for (int w : weights) {
      steps.add(Map.of("setWeight", w));
    }
    return this;
  }

  public PlanDocuments withStep(Map<String, Object> step) {
    steps.add(step);
    return this;
  }

  public PlanDocuments withAnalysis(String key, Object value) {
    analysis.put(key, value);
    return this;
  }

  /** A web metric whose canary URL is {@code url} judged against {@code max}. */
  public PlanDocuments withWebMetric(String name, String url, double max) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("provider", Map.of("type", "web", "jsonPath", "$.value", "timeout", "2s"));
    m.put("query", url);
    m.put("threshold", Map.of("max", max));
    metrics.add(m);
    return this;
  }

  public PlanDocuments withMetric(Map<String, Object> metric) {
    metrics.add(metric);
    return this;
  }

  public PlanDocuments with(String key, Object value) {
    doc.put(key, value);
    return this;
  }

  public Map<String, Object> build() {
    Map<String, Object> result = new LinkedHashMap<>(doc);
    result.put("steps", List.copyOf(steps));
    if (!metrics.isEmpty()) {
      Map<String, Object> a = new LinkedHashMap<>(analysis);
      a.put("metrics", List.copyOf(metrics));
      result.put("analysis", a);
    }
    return result;
  }
}
