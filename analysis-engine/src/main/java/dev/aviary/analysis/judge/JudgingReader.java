package dev.aviary.analysis.judge;

import dev.aviary.kernel.SettingsReader;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads the judging options that plans and judgement requests share (direction, gap handling,
 * outliers, effect-size gates, thresholds, score thresholds, judge settings, group weights),
 * reporting violations to the given reader. Unknown-field checks stay with the caller, who knows
 * which other fields belong beside these.
 */
public final class JudgingReader {

  private static final Map<String, Direction> DIRECTIONS =
      Arrays.stream(Direction.values())
          .collect(Collectors.toMap(Direction::wireName, d -> d, (a, b) -> a, LinkedHashMap::new));
  private static final Map<String, NanStrategy> NAN_STRATEGIES =
      Map.of(
          NanStrategy.REMOVE.wireName(),
          NanStrategy.REMOVE,
          NanStrategy.REPLACE.wireName(),
          NanStrategy.REPLACE);

  private JudgingReader() {}

  /**
   * A metric's judging options: {@code group}, {@code weight}, {@code direction}, {@code critical},
   * {@code mustHaveData}, {@code muted}, {@code nanStrategy}, {@code outliers}, {@code effectSize}.
   * The threshold is the caller's, as plans nest it and requests do not.
   */
  public static MetricSpec.Builder metric(SettingsReader m, @Nullable String name) {
    Direction direction = m.oneOf("direction", DIRECTIONS, Direction.EITHER);
    NanStrategy nan = m.oneOf("nanStrategy", NAN_STRATEGIES, NanStrategy.REMOVE);
    Double outlierFactor = m.object("outliers").map(JudgingReader::outlierFactor).orElse(null);
    EffectSize effect =
        m.object("effectSize").map(JudgingReader::effectSize).orElse(EffectSize.DEFAULT);
    String group = m.string("group").orElse(MetricSpec.DEFAULT_GROUP);
    Double weight = m.number("weight", 1.0, 1e-9, 1e6);
    return MetricSpec.named(name == null ? "?" : name)
        .group(group)
        .weight(weight == null ? 1.0 : weight)
        .direction(direction)
        .critical(m.bool("critical", false))
        .mustHaveData(m.bool("mustHaveData", false))
        .muted(m.bool("muted", false))
        .nanStrategy(nan)
        .outlierFactor(outlierFactor)
        .effectSize(effect);
  }

  /**
   * {@code min}, {@code max} and {@code reducer} at the reader's level: null when neither bound is
   * given (a violation too when {@code required}).
   */
  public static @Nullable Threshold threshold(SettingsReader t, boolean required) {
    Double min = t.optionalNumber("min", -Double.MAX_VALUE, Double.MAX_VALUE);
    Double max = t.optionalNumber("max", -Double.MAX_VALUE, Double.MAX_VALUE);
    Reducer reducer = Reducer.AVG;
    Optional<String> reducerText = t.string("reducer");
    if (reducerText.isPresent()) {
      reducer = Reducer.parse(reducerText.get()).orElse(null);
      if (reducer == null) {
        t.violation(
            "reducer",
            "must be avg, max, min, last, sum, median or a quantile such as p95, was '"
                + reducerText.get()
                + "'");
        reducer = Reducer.AVG;
      }
    }
    if (min == null && max == null) {
      if (required && t.raw().get("min") == null && t.raw().get("max") == null) {
        t.violation("", "needs min, max or both");
      }
      return null;
    }
    if (min != null && max != null && min > max) {
      t.violation("min", "must not exceed max (" + max + ")");
      return null;
    }
    return new Threshold(min, max, reducer);
  }

  /** {@code thresholds: {pass, marginal}} under {@code parent}; defaults 95 / 75. */
  public static ScoreThresholds scoreThresholds(SettingsReader parent) {
    Optional<SettingsReader> t = parent.object("thresholds");
    if (t.isEmpty()) {
      return ScoreThresholds.DEFAULT;
    }
    Double pass = t.get().number("pass", ScoreThresholds.DEFAULT.pass(), 0, 100);
    Double marginal = t.get().number("marginal", ScoreThresholds.DEFAULT.marginal(), 0, 100);
    t.get().rejectUnknown();
    if (pass == null || marginal == null) {
      return ScoreThresholds.DEFAULT;
    }
    if (marginal > pass) {
      t.get().violation("marginal", "must not exceed pass (" + pass + ")");
      return ScoreThresholds.DEFAULT;
    }
    return new ScoreThresholds(pass, marginal);
  }

  /**
   * {@code judge: {type, ...options}} under {@code parent}: a registered judge that judges data of
   * {@code shape}, with its options read by its factory. Absent, the judge registered as the
   * default for the shape, or {@code fallback} when that is given.
   */
  public static JudgeOptions judge(
      SettingsReader parent, Judges judges, DataShape shape, @Nullable JudgeOptions fallback) {
    return judge(parent, judges, java.util.EnumSet.of(shape), fallback);
  }

  /**
   * The judge object under {@code parent} for metrics of several shapes (an analysis's default
   * judge): any registered judge of one of them. Absent, the default of the first of {@code shapes}
   * (series before counts before histograms), or {@code fallback}.
   */
  public static JudgeOptions judge(
      SettingsReader parent,
      Judges judges,
      Set<DataShape> shapes,
      @Nullable JudgeOptions fallback) {
    java.util.EnumSet<DataShape> all =
        shapes.isEmpty()
            ? java.util.EnumSet.of(DataShape.SERIES)
            : java.util.EnumSet.copyOf(shapes);
    DataShape primary = all.iterator().next();
    Optional<SettingsReader> j = parent.object("judge");
    if (j.isEmpty()) {
      return fallback != null ? fallback : judges.defaultFor(primary).defaults();
    }
    JudgeFactory fallbackFactory =
        fallback != null ? judges.find(fallback.type()).orElseThrow() : judges.defaultFor(primary);
    Map<String, JudgeFactory> allowed = new LinkedHashMap<>();
    for (DataShape shape : all) {
      for (String type : judges.typesFor(shape)) {
        allowed.put(type, judges.find(type).orElseThrow());
      }
    }
    Optional<String> named = j.get().string("type");
    if (named.isPresent()
        && !allowed.containsKey(named.get())
        && judges.find(named.get()).isPresent()) {
      String shown = all.size() == 1 ? primary.toString() : all.toString();
      j.get()
          .violation(
              "type",
              "the "
                  + named.get()
                  + " judge judges "
                  + judges.find(named.get()).orElseThrow().shapes()
                  + " data, not "
                  + shown
                  + "; for "
                  + shown
                  + " use one of "
                  + allowed.keySet());
      return fallbackFactory.defaults();
    }
    JudgeFactory factory = j.get().oneOf("type", allowed, fallbackFactory);
    return factory.read(j.get());
  }

  /** {@code groupWeights} under {@code parent}, checked against the groups the metrics use. */
  public static Map<String, Double> groupWeights(SettingsReader parent, Set<String> groups) {
    Map<String, Double> weights = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : parent.entries("groupWeights").entrySet()) {
      if (e.getValue() instanceof Number n) {
        weights.put(e.getKey(), n.doubleValue());
      } else {
        parent.violation("groupWeights." + e.getKey(), "must be a number");
      }
    }
    if (!groups.isEmpty()) {
      for (String[] problem : new GroupWeights(weights).problems(groups)) {
        parent.violation(
            problem[0].isEmpty() ? "groupWeights" : "groupWeights." + problem[0], problem[1]);
      }
    }
    return weights;
  }

  private static @Nullable Double outlierFactor(SettingsReader o) {
    String strategy = o.oneOf("strategy", Map.of("remove", "remove", "keep", "keep"), "remove");
    Double factor = o.number("factor", 3.0, 0.1, 100);
    o.rejectUnknown();
    return "remove".equals(strategy) ? factor : null;
  }

  private static EffectSize effectSize(SettingsReader e) {
    EffectSize d = EffectSize.DEFAULT;
    Double ai = e.number("allowedIncrease", d.allowedIncrease(), 0, 1e6);
    Double ad = e.number("allowedDecrease", d.allowedDecrease(), 0, 1e6);
    Double ci = e.number("criticalIncrease", d.criticalIncrease(), 0, 1e6);
    Double cd = e.number("criticalDecrease", d.criticalDecrease(), 0, 1e6);
    e.rejectUnknown();
    return new EffectSize(
        ai == null ? d.allowedIncrease() : ai,
        ad == null ? d.allowedDecrease() : ad,
        ci == null ? d.criticalIncrease() : ci,
        cd == null ? d.criticalDecrease() : cd);
  }
}
