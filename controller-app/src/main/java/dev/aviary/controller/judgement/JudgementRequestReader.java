package dev.aviary.controller.judgement;

import dev.aviary.analysis.judge.Counts;
import dev.aviary.analysis.judge.DataShape;
import dev.aviary.analysis.judge.GroupWeights;
import dev.aviary.analysis.judge.Histogram;
import dev.aviary.analysis.judge.JudgeFactory;
import dev.aviary.analysis.judge.JudgeOptions;
import dev.aviary.analysis.judge.JudgeState;
import dev.aviary.analysis.judge.Judges;
import dev.aviary.analysis.judge.JudgingReader;
import dev.aviary.analysis.judge.MetricInput;
import dev.aviary.analysis.judge.MetricSpec;
import dev.aviary.analysis.judge.ScoreThresholds;
import dev.aviary.analysis.judge.Threshold;
import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a judgement request, reporting every violation at once: empty samples where data is
 * required, values that are not numbers, unknown judges or directions, weights that do not add up.
 */
public final class JudgementRequestReader {

  static final int MAX_METRICS = 100;
  static final int MAX_VALUES = 100_000;

  private JudgementRequestReader() {}

  public static Parsed<JudgementRequest> read(Map<String, ?> body, Judges judges) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(body, violations);
    List<SettingsReader> elements = r.objects("metrics");
    // the request's judge: one that judges at least one of its metrics' shapes
    Set<DataShape> shapes = new LinkedHashSet<>();
    for (SettingsReader m : elements) {
      shapes.add(shapeOf(m.raw()));
    }
    JudgeOptions judge = JudgingReader.judge(r, judges, shapes, null);
    ScoreThresholds thresholds = JudgingReader.scoreThresholds(r);
    List<MetricInput> metrics = new ArrayList<>();
    if (!r.has("metrics")) {
      r.violation("metrics", "is required: at least one metric with its data");
    }
    if (r.raw().get("metrics") instanceof List<?> list && list.isEmpty()) {
      r.violation("metrics", "must hold at least one metric");
    }
    if (elements.size() > MAX_METRICS) {
      r.violation("metrics", "must not hold more than " + MAX_METRICS + " metrics");
    }
    Set<Object> names = new HashSet<>();
    Set<String> groups = new LinkedHashSet<>();
    for (SettingsReader m : elements) {
      Object rawName = m.raw().get("name");
      if (rawName != null && !names.add(rawName)) {
        m.violation("name", "is used by another metric of this request");
      }
      Object group = m.raw().get("group");
      groups.add(group instanceof String g ? g : MetricSpec.DEFAULT_GROUP);
      MetricInput input = metric(m, judge, judges);
      if (input != null) {
        metrics.add(input);
      }
    }
    Map<String, Double> weights = JudgingReader.groupWeights(r, groups);
    JudgeState state = state(r, names);
    r.rejectUnknown();
    return Parsed.of(
        new JudgementRequest(judge, thresholds, new GroupWeights(weights), metrics, state),
        violations);
  }

  private static DataShape shapeOf(Map<String, ?> metric) {
    if (metric.get("counts") != null) {
      return DataShape.COUNTS;
    }
    return metric.get("histogram") != null ? DataShape.HISTOGRAM : DataShape.SERIES;
  }

  private static @Nullable MetricInput metric(
      SettingsReader m, JudgeOptions requestJudge, Judges judges) {
    String name = m.requiredString("name");
    DataShape shape = shapeOf(m.raw());
    if (m.raw().get("counts") != null && m.raw().get("histogram") != null) {
      m.violation("", "holds counts or a histogram, not both");
    }
    JudgeFactory requestFactory = judges.find(requestJudge.type()).orElseThrow();
    JudgeOptions fallback =
        requestFactory.shapes().contains(shape)
            ? requestJudge
            : judges.defaultFor(shape).defaults();
    JudgeOptions judge =
        m.has("judge") ? JudgingReader.judge(m, judges, shape, fallback) : fallback;
    boolean thresholdOnly = !judges.find(judge.type()).orElseThrow().comparesWithBaseline();
    MetricSpec.Builder spec = JudgingReader.metric(m, name);
    Threshold threshold =
        shape == DataShape.HISTOGRAM ? null : JudgingReader.threshold(m, thresholdOnly);
    MetricSpec built = spec.threshold(threshold).judge(judge).build();
    MetricInput input =
        switch (shape) {
          case COUNTS -> m.object("counts").map(c -> counts(c, built)).orElse(null);
          case HISTOGRAM -> m.object("histogram").map(h -> histogram(h, built)).orElse(null);
          case SERIES -> series(m, built, thresholdOnly);
        };
    m.rejectUnknown();
    return name == null ? null : input;
  }

  private static @Nullable MetricInput series(
      SettingsReader m, MetricSpec spec, boolean thresholdOnly) {
    double[] canary = values(m, "canary");
    double[] baseline = null;
    if (thresholdOnly) {
      if (m.has("baseline")) {
        m.violation(
            "baseline", "the threshold judge looks at the canary alone; leave baseline out");
      }
    } else {
      baseline = values(m, "baseline");
    }
    if (canary == null) {
      return null;
    }
    if (thresholdOnly) {
      return MetricInput.canaryOnly(spec, canary);
    }
    return baseline == null ? null : MetricInput.compared(spec, canary, baseline);
  }

  /** {@code {"canary": {"bad": 14, "total": 1210}, "baseline": {"bad": 9, "total": 1180}}}. */
  private static @Nullable MetricInput counts(SettingsReader c, MetricSpec spec) {
    double[] canary = side(c, "canary");
    double[] baseline = side(c, "baseline");
    c.rejectUnknown();
    if (canary == null || baseline == null) {
      return null;
    }
    Counts counts = new Counts(canary[0], canary[1], baseline[0], baseline[1]);
    String problem = counts.problem();
    if (problem != null) {
      c.violation("", problem);
      return null;
    }
    return MetricInput.counted(spec, counts);
  }

  private static double @Nullable [] side(SettingsReader c, String key) {
    if (!c.has(key)) {
      c.violation(key, "is required: {\"bad\": <count>, \"total\": <count>}");
      return null;
    }
    return c.object(key)
        .map(
            s -> {
              Double bad = s.optionalNumber("bad", 0, Double.MAX_VALUE);
              Double total = s.optionalNumber("total", 0, Double.MAX_VALUE);
              if (s.raw().get("bad") == null) {
                s.violation("bad", "is required: the bad events of the window");
              }
              if (s.raw().get("total") == null) {
                s.violation("total", "is required: all events of the window");
              }
              s.rejectUnknown();
              return bad == null || total == null ? null : new double[] {bad, total};
            })
        .orElse(null);
  }

  /**
   * {@code {"bounds": [0.1, 0.25, "+Inf"], "canary": [5, 9, 10], "baseline": [...]}}: cumulative
   * counts per bucket bound.
   */
  private static @Nullable MetricInput histogram(SettingsReader h, MetricSpec spec) {
    double[] bounds = bounds(h);
    double[] canary = values(h, "canary");
    double[] baseline = values(h, "baseline");
    h.rejectUnknown();
    if (bounds == null || canary == null || baseline == null) {
      return null;
    }
    Histogram histogram = new Histogram(bounds, canary, baseline);
    String problem = histogram.problem();
    if (problem != null) {
      h.violation("", problem);
      return null;
    }
    return MetricInput.histogram(spec, histogram);
  }

  private static double @Nullable [] bounds(SettingsReader h) {
    if (!(h.raw().get("bounds") instanceof List<?> list) || list.isEmpty()) {
      h.violation("bounds", "is required: the buckets' upper bounds, the last may be \"+Inf\"");
      return null;
    }
    h.allow("bounds");
    double[] bounds = new double[list.size()];
    for (int i = 0; i < list.size(); i++) {
      Object v = list.get(i);
      if (v instanceof Number n) {
        bounds[i] = n.doubleValue();
      } else if ("+Inf".equals(v) || "Inf".equals(v)) {
        bounds[i] = Double.POSITIVE_INFINITY;
      } else {
        h.violation("bounds[" + i + "]", "must be a number or \"+Inf\"");
        return null;
      }
    }
    return bounds;
  }

  /**
   * {@code state}: what the sequential judges remembered, as the previous answer returned it; per
   * metric of this request, named numbers.
   */
  private static JudgeState state(SettingsReader r, Set<Object> metricNames) {
    Map<String, Object> raw = r.entries("state");
    Map<String, Map<String, Double>> state = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : raw.entrySet()) {
      String key = "state." + e.getKey();
      if (!metricNames.contains(e.getKey())) {
        r.violation(key, "names no metric of this request");
        continue;
      }
      if (!(e.getValue() instanceof Map<?, ?> values)) {
        r.violation(key, "must be the object the previous answer returned for this metric");
        continue;
      }
      Map<String, Double> numbers = new LinkedHashMap<>();
      for (Map.Entry<?, ?> v : values.entrySet()) {
        if (v.getValue() instanceof Number n && Double.isFinite(n.doubleValue())) {
          numbers.put(String.valueOf(v.getKey()), n.doubleValue());
        } else {
          r.violation(key + "." + v.getKey(), "must be a number");
        }
      }
      state.put(e.getKey(), numbers);
    }
    return new JudgeState(state);
  }

  /** A non-empty array of numbers; {@code null} entries are gaps (NaN). */
  private static double @Nullable [] values(SettingsReader m, String key) {
    if (!m.has(key)) {
      m.violation(key, "is required: an array of numbers");
      return null;
    }
    Object raw = m.raw().get(key);
    if (!(raw instanceof List<?> list)) {
      m.violation(key, "must be an array of numbers");
      return null;
    }
    if (list.isEmpty()) {
      m.violation(key, "must hold at least one value");
      return null;
    }
    if (list.size() > MAX_VALUES) {
      m.violation(key, "must not hold more than " + MAX_VALUES + " values");
      return null;
    }
    double[] values = new double[list.size()];
    boolean ok = true;
    for (int i = 0; i < list.size(); i++) {
      Object v = list.get(i);
      if (v == null) {
        values[i] = Double.NaN;
      } else if (v instanceof Number n) {
        values[i] = n.doubleValue();
      } else {
        m.violation(
            key + "[" + i + "]",
            "must be a number or null (a gap), was " + (v instanceof String ? "'" + v + "'" : v));
        ok = false;
      }
    }
    return ok ? values : null;
  }
}
