package dev.aviary.controller.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A metric template of one's own: a metric's queries, optionally its provider, and named
 * parameters, stored once and named by plans ({@code "template": "checkout-errors", "variables":
 * {"service": "cart"}}). As Flagger's MetricTemplate or Kayenta's metric sets: the team that knows
 * the metrics writes the queries, release engineers name them.
 *
 * @param name a DNS label, unique among templates and never a router's ready-made metric
 * @param description for people
 * @param parameters the values plans give ({@code ${name}} in the queries), in order
 * @param provider the provider and its settings ({@code type} included); null when each plan names
 *     its own
 * @param shape {@code counts}, {@code histogram} or {@code query}, as in a plan's metric
 * @param source that field's value as written (a string or an object of strings)
 */
record MetricTemplateSpec(
    String name,
    String description,
    List<Parameter> parameters,
    @Nullable Map<String, Object> provider,
    String shape,
    Object source) {

  /** The fields of a plan's metric a template may hold: exactly one of them. */
  static final List<String> SHAPES = List.of("counts", "histogram", "query");

  private static final Pattern PARAMETER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  /**
   * One parameter.
   *
   * @param name as written in the queries, {@code ${name}}
   * @param defaultValue used when a plan gives none; null when a plan must
   * @param description for people
   */
  public record Parameter(String name, @Nullable String defaultValue, String description) {}

  public MetricTemplateSpec {
    parameters = List.copyOf(parameters);
    provider = provider == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(provider));
  }

  /** Each parameter's default, null for one a plan must give, in order. */
  public Map<String, @Nullable String> defaults() {
    Map<String, @Nullable String> defaults = new LinkedHashMap<>();
    parameters.forEach(p -> defaults.put(p.name(), p.defaultValue()));
    return defaults;
  }

  /** Reads back a document {@link #document()} wrote (validated when it was stored). */
  @SuppressWarnings("unchecked")
  static MetricTemplateSpec fromCanonical(Map<String, Object> doc) {
    String shape = SHAPES.stream().filter(doc::containsKey).findFirst().orElseThrow();
    List<Parameter> parameters = new java.util.ArrayList<>();
    if (doc.get("parameters") instanceof List<?> list) {
      for (Object o : list) {
        Map<String, Object> p = (Map<String, Object>) o;
        parameters.add(
            new Parameter(
                String.valueOf(p.get("name")),
                p.get("default") instanceof String d ? d : null,
                p.get("description") instanceof String d ? d : ""));
      }
    }
    return new MetricTemplateSpec(
        String.valueOf(doc.get("name")),
        doc.get("description") instanceof String d ? d : "",
        parameters,
        doc.get("provider") instanceof Map<?, ?> p ? (Map<String, Object>) p : null,
        shape,
        java.util.Objects.requireNonNull(doc.get(shape)));
  }

  /** The canonical document: what is stored and what GET answers. */
  public Map<String, Object> document() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("name", name);
    doc.put("description", description);
    List<Map<String, Object>> params = new java.util.ArrayList<>();
    for (Parameter p : parameters) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("name", p.name());
      if (p.defaultValue() != null) {
        one.put("default", p.defaultValue());
      }
      if (!p.description().isEmpty()) {
        one.put("description", p.description());
      }
      params.add(one);
    }
    doc.put("parameters", params);
    if (provider != null) {
      doc.put("provider", new LinkedHashMap<>(provider));
    }
    doc.put(shape, source);
    return doc;
  }

  /**
   * The source with each parameter's {@code ${name}} replaced by its value; every other variable
   * ({@code ${version}}, {@code ${window}}) is left for the rollout to fill in.
   */
  Object sourceWith(Map<String, String> values) {
    return substitute(source, values);
  }

  /** The parameters {@code ${…}} in the source names, in order of first use. */
  java.util.Set<String> variablesUsed() {
    java.util.Set<String> used = new java.util.LinkedHashSet<>();
    collect(source, used);
    return used;
  }

  private static Object substitute(Object node, Map<String, String> values) {
    if (node instanceof String text) {
      Matcher m = PARAMETER.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String value = values.get(m.group(1));
        m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
      }
      m.appendTail(out);
      return out.toString();
    }
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : substitute(v, values)));
      return out;
    }
    return node;
  }

  private static void collect(Object node, java.util.Set<String> used) {
    if (node instanceof String text) {
      Matcher m = PARAMETER.matcher(text);
      while (m.find()) {
        used.add(m.group(1));
      }
    } else if (node instanceof Map<?, ?> map) {
      map.values().forEach(v -> collect(v, used));
    }
  }
}
