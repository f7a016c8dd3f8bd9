package dev.aviary.controller.judgement;

import dev.aviary.analysis.judge.DataShape;
import dev.aviary.analysis.judge.GroupWeights;
import dev.aviary.analysis.judge.JudgeOptions;
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
    JudgeOptions judge = JudgingReader.judge(r, judges, DataShape.SERIES, null);
    boolean thresholdOnly = !judges.find(judge.type()).orElseThrow().comparesWithBaseline();
    ScoreThresholds thresholds = JudgingReader.scoreThresholds(r);
    List<MetricInput> metrics = new ArrayList<>();
    if (!r.has("metrics")) {
      r.violation("metrics", "is required: at least one metric with its data");
    }
    List<SettingsReader> elements = r.objects("metrics");
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
      MetricInput input = metric(m, judge, thresholdOnly);
      if (input != null) {
        metrics.add(input);
      }
    }
    Map<String, Double> weights = JudgingReader.groupWeights(r, groups);
    r.rejectUnknown();
    return Parsed.of(
        new JudgementRequest(judge, thresholds, new GroupWeights(weights), metrics), violations);
  }

  private static @Nullable MetricInput metric(
      SettingsReader m, JudgeOptions judge, boolean thresholdOnly) {
    String name = m.requiredString("name");
    MetricSpec.Builder spec = JudgingReader.metric(m, name);
    Threshold threshold = JudgingReader.threshold(m, thresholdOnly);
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
    m.rejectUnknown();
    if (name == null || canary == null) {
      return null;
    }
    MetricSpec built = spec.threshold(threshold).judge(judge).build();
    if (thresholdOnly) {
      return MetricInput.canaryOnly(built, canary);
    }
    return baseline == null ? null : MetricInput.compared(built, canary, baseline);
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
