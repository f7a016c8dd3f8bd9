package dev.aviary.controller.plan;

import dev.aviary.analysis.judge.DataShape;
import dev.aviary.analysis.judge.JudgeOptions;
import dev.aviary.analysis.judge.Judges;
import dev.aviary.analysis.judge.JudgingReader;
import dev.aviary.analysis.judge.MetricSpec;
import dev.aviary.analysis.judge.ScoreThresholds;
import dev.aviary.analysis.judge.Threshold;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.MetricProviders;
import dev.aviary.analysis.metrics.SeriesAggregation;
import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.controller.routing.RouterMetric;
import dev.aviary.controller.routing.TrafficRouterFactory;
import dev.aviary.controller.routing.TrafficRouters;
import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads a plan document (JSON as maps and lists) into a {@link PlanSpec}, checking every rule and
 * reporting every violation at once, each named by its path ({@code steps[2].setWeight}). Router
 * and provider settings are validated by their adapters here, when the plan is written, not first
 * when a rollout runs.
 */
final class PlanReader {

  static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern METRIC_NAME =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Pattern LABEL_KEY =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_./]{0,61}[A-Za-z0-9])?");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
  private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  private static final int MAX_STEPS = 100;
  private static final int MAX_METRICS = 50;

  /** Variables every rollout defines: a template parameter of the same name would hide one. */
  private static final Set<String> ROLLOUT_VARIABLES =
      Set.of(
          "version", "canary", "baseline", "plan", "rollout", "interval", "window", "start", "end");

  private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private static final int MAX_PARAMETERS = 20;

  private final TrafficRouters routers;
  private final MetricProviders providers;
  private final Judges judges;
  private final StoredTemplates templates;

  PlanReader(TrafficRouters routers, MetricProviders providers, Judges judges) {
    this(routers, providers, judges, StoredTemplates.NONE);
  }

  PlanReader(
      TrafficRouters routers, MetricProviders providers, Judges judges, StoredTemplates templates) {
    this.routers = routers;
    this.providers = providers;
    this.judges = judges;
    this.templates = templates;
  }

  /** Reads a whole plan. */
  public Parsed<PlanSpec> read(Map<String, ?> document) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(document, violations);
    String name = r.requiredString("name");
    if (name != null && !DNS_LABEL.matcher(name).matches()) {
      r.violation(
          "name",
          "must be a DNS label: lower-case letters, digits and '-', 1 to 63 characters, starting and ending with a letter or digit");
    }
    String description = r.text("description", "", 2000);
    Map<String, String> labels = labels(r);
    RouterSpec router = router(r);
    AnalysisSpec analysis = r.object("analysis").map(a -> analysis(a, router)).orElse(null);
    List<Step> steps =
        r.has("blueGreen")
            ? blueGreen(r, analysis != null, router)
            : steps(r, analysis != null, router);
    List<NotificationSpec> notifications = NotificationReader.readAll(r);
    Duration deadline = r.duration("progressDeadline", PlanSpec.DEFAULT_PROGRESS_DEADLINE);
    List<ReleaseWindow> windows = ReleaseWindows.read(r);
    List<Hook> hooks = HookReader.readAll(r);
    r.rejectUnknown();
    if (!violations.isEmpty() || name == null || router == null) {
      return Parsed.of(null, violations);
    }
    return Parsed.of(
        new PlanSpec(
            name,
            description,
            labels,
            router,
            steps,
            analysis,
            notifications,
            deadline,
            windows,
            hooks),
        violations);
  }

  private static Map<String, String> labels(SettingsReader r) {
    Map<String, String> labels = r.stringMap("labels");
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (!LABEL_KEY.matcher(e.getKey()).matches()) {
        r.violation(
            "labels." + e.getKey(),
            "is not a valid label key (letters, digits, '-', '_', '.', '/'; at most 63)");
      }
      if (!LABEL_VALUE.matcher(e.getValue()).matches()) {
        r.violation(
            "labels." + e.getKey(),
            "value must be empty or letters, digits, '-', '_', '.'; at most 63");
      }
    }
    return labels;
  }

  private @Nullable RouterSpec router(SettingsReader r) {
    Optional<SettingsReader> routerReader = r.object("router");
    if (routerReader.isEmpty()) {
      if (!r.has("router")) {
        r.violation(
            "router",
            "is required: {\"type\": one of "
                + String.join(", ", routers.types())
                + ", ...settings}");
      }
      return null;
    }
    SettingsReader router = routerReader.get();
    String type = router.requiredString("type");
    Map<String, Object> settings = settingsOf(router.raw());
    if (type == null) {
      return null;
    }
    Optional<TrafficRouterFactory> factory = routers.find(type);
    if (factory.isEmpty()) {
      router.violation(
          "type",
          "unknown router type '" + type + "'; known types: " + String.join(", ", routers.types()));
      return null;
    }
    if (settings.containsKey("sticky")
        && !factory.get().capabilities().contains(RouterCapability.STICKY_SESSIONS)) {
      router.violation("sticky", cannot(factory.get(), RouterCapability.STICKY_SESSIONS));
      Map<String, Object> rest = new java.util.LinkedHashMap<>(settings);
      rest.remove("sticky");
      for (SettingViolation v : factory.get().validate(rest)) {
        router.violation(v.field(), v.message());
      }
      return new RouterSpec(type, settings);
    }
    for (SettingViolation v : factory.get().validate(settings)) {
      router.violation(v.field(), v.message());
    }
    if (settings.containsKey("sticky")) {
      factory
          .get()
          .missingSetting(RouterCapability.STICKY_SESSIONS, settings)
          .ifPresent(why -> router.violation("sticky", why));
    }
    return new RouterSpec(type, settings);
  }

  private List<Step> steps(SettingsReader r, boolean hasAnalysis, @Nullable RouterSpec router) {
    Optional<TrafficRouterFactory> factory =
        router == null ? Optional.empty() : routers.find(router.type());
    List<Step> steps = new ArrayList<>();
    if (!r.has("steps")) {
      r.violation(
          "steps",
          "is required: a list such as [{\"setWeight\": 10}, {\"pause\": {\"duration\": \"5m\"}}, {\"setWeight\": 100}]");
      return steps;
    }
    List<SettingsReader> elements = r.objects("steps");
    if (r.raw().get("steps") instanceof List<?> list && list.isEmpty()) {
      r.violation("steps", "must hold at least one step");
    }
    if (elements.size() > MAX_STEPS) {
      r.violation("steps", "must not hold more than " + MAX_STEPS + " steps");
    }
    int lastWeight = -1;
    String lastWeightAt = null;
    for (int i = 0; i < elements.size(); i++) {
      SettingsReader s = elements.get(i);
      Set<String> keys = s.keys();
      Optional<StepHandler<?>> handler =
          keys.size() == 1 ? StepHandlers.byKind(keys.iterator().next()) : Optional.empty();
      if (handler.isEmpty()) {
        s.violation(
            "",
            "must hold exactly one of "
                + String.join(", ", StepHandlers.kinds())
                + "; found "
                + keys);
        continue;
      }
      Step step =
          handler
              .get()
              .read(s, new StepHandler.StepReading(i, hasAnalysis, lastWeight, lastWeightAt));
      if (step == null) {
        continue;
      }
      if (factory.isPresent() && router != null) {
        refuseMissingCapabilities(s, handler.get().kind(), step, factory.get(), router);
      }
      if (step instanceof Step.SetWeight w) {
        lastWeight = Math.max(lastWeight, w.weight());
        lastWeightAt = "steps[" + i + "]";
      }
      steps.add(step);
    }
    return steps;
  }

  /**
   * {@code blueGreen} instead of {@code steps}: the steps it stands for ({@link BlueGreenReader}).
   */
  private List<Step> blueGreen(SettingsReader r, boolean hasAnalysis, @Nullable RouterSpec router) {
    if (r.has("steps")) {
      r.allow("steps");
      r.violation(
          "steps", "a blue/green plan has no steps of its own: give either steps or blueGreen");
    }
    Optional<SettingsReader> bg = r.object("blueGreen");
    if (bg.isEmpty()) {
      return List.of();
    }
    TrafficRouterFactory factory = router == null ? null : routers.find(router.type()).orElse(null);
    return BlueGreenReader.read(bg.get(), hasAnalysis, factory, router);
  }

  /** A step asking for what its router cannot do is refused, naming the step and the router. */
  private static void refuseMissingCapabilities(
      SettingsReader s, String kind, Step step, TrafficRouterFactory factory, RouterSpec router) {
    for (RouterCapability needed : StepHandlers.requires(step)) {
      if (!factory.capabilities().contains(needed)) {
        s.violation(kind, cannot(factory, needed));
      } else {
        factory.missingSetting(needed, router.settings()).ifPresent(why -> s.violation(kind, why));
      }
    }
  }

  /** Why a plan is refused for asking {@code factory}'s routers for {@code needed}. */
  static String cannot(TrafficRouterFactory factory, RouterCapability needed) {
    return "the "
        + factory.type()
        + " router has no "
        + needed.words()
        + " (it offers "
        + factory.capabilities().stream()
            .sorted()
            .map(RouterCapability::words)
            .collect(java.util.stream.Collectors.joining(", "))
        + "); see the capability matrix in docs/routers.md";
  }

  private AnalysisSpec analysis(SettingsReader a, @Nullable RouterSpec router) {
    Duration interval = a.duration("interval", AnalysisSpec.DEFAULT_INTERVAL);
    if (interval.compareTo(MIN_INTERVAL) < 0) {
      a.violation("interval", "must be at least 1s");
    }
    Duration warmup = a.duration("warmup", Duration.ZERO, true);
    Integer failureLimit = a.integer("failureLimit", 0, 0, 1000);
    Integer inconclusiveLimit = a.integer("inconclusiveLimit", 0, 0, 1000);
    Integer errorLimit =
        a.integer("consecutiveErrorLimit", AnalysisSpec.DEFAULT_CONSECUTIVE_ERROR_LIMIT, 0, 1000);
    AnalysisSpec.ErrorAction errorAction =
        a.oneOf(
            "errorAction",
            Map.of(
                "rollback",
                AnalysisSpec.ErrorAction.ROLLBACK,
                "pause",
                AnalysisSpec.ErrorAction.PAUSE),
            AnalysisSpec.ErrorAction.PAUSE);
    ScoreThresholds thresholds = JudgingReader.scoreThresholds(a);
    // the analysis' judge: one that judges at least one of its metrics' shapes
    Set<DataShape> shapes = new HashSet<>();
    if (a.raw().get("metrics") instanceof List<?> rawMetrics) {
      for (Object o : rawMetrics) {
        if (o instanceof Map<?, ?> metric) {
          shapes.add(
              metric.get("counts") != null || metric.get("template") != null
                  ? DataShape.COUNTS
                  : metric.get("histogram") != null ? DataShape.HISTOGRAM : DataShape.SERIES);
        }
      }
    }
    JudgeOptions judge = JudgingReader.judge(a, judges, shapes, null);
    Duration maxDuration = a.duration("maxDuration", AnalysisSpec.DEFAULT_MAX_DURATION);
    AnalysisSpec.UndecidedAction onUndecided =
        a.oneOf(
            "onUndecided",
            Map.of(
                "pause",
                AnalysisSpec.UndecidedAction.PAUSE,
                "rollback",
                AnalysisSpec.UndecidedAction.ROLLBACK),
            AnalysisSpec.UndecidedAction.PAUSE);
    List<MetricDefinition> metrics = new ArrayList<>();
    if (!a.has("metrics")) {
      a.violation("metrics", "is required: at least one metric to judge");
    } else {
      List<SettingsReader> elements = a.objects("metrics");
      if (a.raw().get("metrics") instanceof List<?> list && list.isEmpty()) {
        a.violation("metrics", "must hold at least one metric");
      }
      if (elements.size() > MAX_METRICS) {
        a.violation("metrics", "must not hold more than " + MAX_METRICS + " metrics");
      }
      Set<Object> names = new HashSet<>();
      for (SettingsReader m : elements) {
        Object rawName = m.raw().get("name");
        if (rawName != null && !names.add(rawName)) {
          m.violation("name", "is used by another metric of this plan");
        }
        MetricDefinition metric = metric(m, judge, interval, router);
        if (metric != null) {
          metrics.add(metric);
        }
      }
    }
    Map<String, Double> weights =
        JudgingReader.groupWeights(
            a, metrics.stream().map(m -> m.judging().group()).collect(Collectors.toSet()));
    a.rejectUnknown();
    return new AnalysisSpec(
        interval,
        warmup,
        metrics,
        orZero(failureLimit),
        orZero(inconclusiveLimit),
        errorLimit == null ? AnalysisSpec.DEFAULT_CONSECUTIVE_ERROR_LIMIT : errorLimit,
        errorAction,
        thresholds,
        judge,
        weights,
        maxDuration,
        onUndecided);
  }

  private @Nullable MetricDefinition metric(
      SettingsReader written,
      JudgeOptions planJudge,
      Duration interval,
      @Nullable RouterSpec router) {
    SettingsReader replacement = null;
    String storedName = null;
    MetricDefinition.StoredTemplateUse stored = null;
    if (written.raw().get("template") instanceof String t) {
      Optional<StoredTemplates.Revision> found = storedTemplate(written, t);
      if (found.isPresent()) {
        Map<String, String> variables = new LinkedHashMap<>();
        Map<String, Object> expanded = expand(written, found.get(), variables);
        if (expanded == null) {
          return null;
        }
        replacement = written.standingFor(expanded);
        storedName = t;
        stored =
            new MetricDefinition.StoredTemplateUse(
                found.get().revision(),
                written.raw().get("templateRevision") != null,
                variables,
                written.raw().get("provider") == null);
      } else if (written.raw().get("templateRevision") != null && templates.latest(t).isPresent()) {
        return null; // a revision it does not have, named by storedTemplate
      } else {
        storedTemplateFieldsOnly(
            written,
            "applies to a stored metric template; '"
                + t
                + "' is not one (GET /api/v1/metric-templates lists them)");
      }
    } else {
      storedTemplateFieldsOnly(written, "applies to a metric made from a stored metric template");
    }
    SettingsReader m = replacement != null ? replacement : written;
    String name = m.requiredString("name");
    if (name != null && !METRIC_NAME.matcher(name).matches()) {
      m.violation(
          "name",
          "must be 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
    }
    MetricDefinition.ProviderSpec provider = provider(m);
    List<String> shapes =
        java.util.stream.Stream.of("query", "counts", "histogram", "template")
            .filter(k -> m.raw().get(k) != null)
            .toList();
    m.allow("query");
    m.allow("counts");
    m.allow("histogram");
    m.allow("template");
    MetricDefinition.Source source = null;
    if (shapes.isEmpty()) {
      m.violation(
          "query",
          "is required: a template or {\"canary\": ..., \"baseline\": ...}; or declare the"
              + " metric as \"counts\": {\"bad\": ..., \"total\": ...} or \"histogram\"");
    } else if (shapes.size() > 1) {
      m.violation("", "holds " + String.join(" and ", shapes) + "; a metric has exactly one");
    } else {
      source =
          switch (shapes.get(0)) {
            case "counts" -> counts(m);
            case "template" -> template(m, router, provider);
            case "histogram" -> histogramSource(m, provider);
            default -> seriesSource(m);
          };
    }
    DataShape shape = source == null ? DataShape.SERIES : source.shape();
    Threshold threshold = m.object("threshold").map(PlanReader::thresholdObject).orElse(null);
    if (threshold != null && shape == DataShape.HISTOGRAM) {
      m.violation(
          "threshold",
          "a histogram is judged against its baseline; bound a quantile with a series metric"
              + " (histogram_quantile) instead");
    }
    if (source instanceof MetricDefinition.Source.Series s
        && m.raw().get("threshold") == null
        && s.baseline() == null) {
      m.violation(
          "", "needs a threshold, a baseline query, or both; otherwise there is nothing to judge");
    }
    MetricSpec.Builder judging = JudgingReader.metric(m, name);
    JudgeOptions fallback =
        judges.find(planJudge.type()).orElseThrow().shapes().contains(shape)
            ? planJudge
            : judges.defaultFor(shape).defaults();
    JudgeOptions judge = m.has("judge") ? JudgingReader.judge(m, judges, shape, fallback) : null;
    SeriesAggregation aggregation =
        m.oneOf(
            "seriesAggregation",
            Arrays.stream(SeriesAggregation.values())
                .collect(
                    Collectors.toMap(
                        SeriesAggregation::wireName, s -> s, (x, y) -> x, LinkedHashMap::new)),
            SeriesAggregation.NONE);
    if (aggregation != SeriesAggregation.NONE && shape != DataShape.SERIES) {
      m.violation(
          "seriesAggregation", "applies to series; counts are summed over their series already");
    }
    JudgeOptions effective = judge != null ? judge : fallback;
    if (source instanceof MetricDefinition.Source.Series s
        && s.baseline() != null
        && provider != null
        && judges.find(effective.type()).orElseThrow().comparesWithBaseline()) {
      overlapping(m, provider, s, interval);
    }
    m.rejectUnknown();
    if (name == null || provider == null || source == null) {
      return null;
    }
    MetricSpec spec = judging.threshold(threshold).judge(effective).build();
    return new MetricDefinition(
        provider,
        source,
        aggregation,
        spec,
        judge,
        stored != null
            ? storedName
            : shapes.equals(List.of("template")) ? String.valueOf(m.raw().get("template")) : null,
        stored);
  }

  /**
   * Refuses {@code templateRevision} and {@code variables} on a metric not made from a stored
   * template; an empty {@code variables} (as generated clients send) is no value.
   */
  private static void storedTemplateFieldsOnly(SettingsReader m, String why) {
    for (String key : List.of("templateRevision", "variables")) {
      Object value = m.raw().get(key);
      m.allow(key);
      if (value != null && !(value instanceof Map<?, ?> map && map.isEmpty())) {
        m.violation(key, why);
      }
    }
  }

  /**
   * The stored template a metric names, at the revision it pins or the latest; empty when no stored
   * template has the name (a router's ready-made metric, then), or the pinned revision does not
   * exist (with a violation).
   */
  private Optional<StoredTemplates.Revision> storedTemplate(SettingsReader m, String name) {
    Integer pinned = m.optionalInteger("templateRevision", 1, Integer.MAX_VALUE);
    if (pinned == null) {
      return templates.latest(name);
    }
    Optional<StoredTemplates.Revision> found = templates.revision(name, pinned);
    if (found.isEmpty() && templates.latest(name).isPresent()) {
      m.violation(
          "templateRevision",
          "metric template '"
              + name
              + "' has no revision "
              + pinned
              + " (GET /api/v1/metric-templates/"
              + name
              + "/revisions lists them)");
    }
    return found;
  }

  /**
   * The metric as written with the stored template's fields in place of {@code template}: its
   * queries with the plan's {@code variables} (or the parameters' defaults) filled in, and its
   * provider unless the metric names its own. Null, with violations, when a parameter is missing or
   * unknown.
   */
  private @Nullable Map<String, Object> expand(
      SettingsReader m, StoredTemplates.Revision found, Map<String, String> variables) {
    MetricTemplateSpec template = found.spec();
    variables.putAll(m.stringMap("variables"));
    boolean valid = true;
    for (String given : variables.keySet()) {
      if (!template.defaults().containsKey(given)) {
        m.violation(
            "variables." + given,
            "is not a parameter of metric template '"
                + template.name()
                + "'"
                + (template.parameters().isEmpty()
                    ? " (it has none)"
                    : "; its parameters: " + String.join(", ", template.defaults().keySet())));
        valid = false;
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, @Nullable String> p : template.defaults().entrySet()) {
      String value = variables.containsKey(p.getKey()) ? variables.get(p.getKey()) : p.getValue();
      if (value == null) {
        m.violation(
            "variables",
            "must give '"
                + p.getKey()
                + "': metric template '"
                + template.name()
                + "' has no default for it");
        valid = false;
      } else {
        values.put(p.getKey(), value);
      }
    }
    if (template.provider() == null && m.raw().get("provider") == null) {
      m.violation(
          "provider",
          "is required: metric template '"
              + template.name()
              + "' names no provider, so the plan's metric must");
      valid = false;
    }
    if (!valid) {
      return null;
    }
    Map<String, Object> expanded = new LinkedHashMap<>(m.raw());
    expanded.remove("template");
    expanded.remove("templateRevision");
    expanded.remove("variables");
    if (!expanded.containsKey("provider") && template.provider() != null) {
      expanded.put("provider", new LinkedHashMap<>(template.provider()));
    }
    expanded.put(template.shape(), template.sourceWith(values));
    return expanded;
  }

  /**
   * Reads a metric template document: a metric's queries in one of its shapes, an optional provider
   * and named parameters, every rule checked and every violation reported.
   */
  public Parsed<MetricTemplateSpec> readTemplate(Map<String, ?> document) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(document, violations);
    String name = r.requiredString("name");
    if (name != null && !DNS_LABEL.matcher(name).matches()) {
      r.violation(
          "name",
          "must be a DNS label: lower-case letters, digits and '-', 1 to 63 characters, starting and ending with a letter or digit");
    }
    if (name != null) {
      for (String type : routers.types()) {
        if (routers.find(type).orElseThrow().metricTemplates().contains(name)) {
          r.violation(
              "name",
              "is the " + type + " router's ready-made metric; give the template another name");
          break;
        }
      }
    }
    String description = r.text("description", "", 2000);
    List<MetricTemplateSpec.Parameter> parameters = parameters(r);
    MetricDefinition.ProviderSpec provider = r.has("provider") ? provider(r) : null;
    r.object("provider").ifPresent(p -> refuseSealed(p, "", p.raw()));
    List<String> shapes =
        MetricTemplateSpec.SHAPES.stream().filter(k -> r.raw().get(k) != null).toList();
    MetricTemplateSpec.SHAPES.forEach(r::allow);
    MetricDefinition.Source source = null;
    if (shapes.size() != 1) {
      r.violation(
          shapes.isEmpty() ? "counts" : "",
          shapes.isEmpty()
              ? "is required: a template holds its metric's counts ({\"bad\": ..., \"total\":"
                  + " ...}), histogram or query"
              : "holds " + String.join(" and ", shapes) + "; a template has exactly one");
    } else {
      source =
          switch (shapes.get(0)) {
            case "counts" -> counts(r);
            case "histogram" -> histogramSource(r, provider);
            default -> seriesSource(r);
          };
    }
    if (r.raw().get("template") != null) {
      r.violation("template", "a template holds queries; it cannot name another template");
      r.allow("template");
    }
    r.rejectUnknown();
    if (!violations.isEmpty() || name == null || source == null) {
      return Parsed.of(null, violations);
    }
    MetricTemplateSpec spec =
        new MetricTemplateSpec(
            name,
            description,
            parameters,
            provider == null ? null : providerDocument(provider),
            shapes.get(0),
            r.raw().get(shapes.get(0)) instanceof String query && shapes.get(0).equals("query")
                ? Map.of("canary", query)
                : java.util.Objects.requireNonNull(r.raw().get(shapes.get(0))));
    for (int i = 0; i < parameters.size(); i++) {
      String declared = parameters.get(i).name();
      if (!spec.variablesUsed().contains(declared)) {
        r.violation(
            "parameters[" + i + "].name",
            "is never used: write ${" + declared + "} in the template's queries, or remove it");
      }
    }
    return violations.isEmpty() ? Parsed.of(spec, violations) : Parsed.of(null, violations);
  }

  private static List<MetricTemplateSpec.Parameter> parameters(SettingsReader r) {
    List<MetricTemplateSpec.Parameter> parameters = new ArrayList<>();
    List<SettingsReader> elements = r.objects("parameters");
    if (elements.size() > MAX_PARAMETERS) {
      r.violation("parameters", "must not hold more than " + MAX_PARAMETERS + " parameters");
    }
    Set<String> names = new HashSet<>();
    for (SettingsReader p : elements) {
      String key = p.requiredString("name");
      String value = p.string("default").orElse(null);
      String description = p.text("description", "", 500);
      p.rejectUnknown();
      if (key == null) {
        continue;
      }
      if (!PARAMETER_NAME.matcher(key).matches()) {
        p.violation(
            "name", "is not a valid parameter name (a letter or '_', then letters, digits or '_')");
      } else if (ROLLOUT_VARIABLES.contains(key)) {
        p.violation(
            "name",
            "is a variable every rollout defines (${" + key + "}); name the parameter otherwise");
      } else if (!names.add(key)) {
        p.violation("name", "is the name of another parameter");
      } else {
        parameters.add(new MetricTemplateSpec.Parameter(key, value, description));
      }
    }
    return parameters;
  }

  /**
   * A template's provider names its credentials by reference: a sealed secret belongs to the one
   * plan it was sealed for, and a template is read by many.
   */
  private static void refuseSealed(SettingsReader p, String path, Map<String, ?> node) {
    for (Map.Entry<String, ?> e : node.entrySet()) {
      if (e.getValue() instanceof Map<?, ?> child) {
        if (child.containsKey("encrypted") || child.containsKey("plaintext")) {
          p.violation(
              path + e.getKey(),
              "a template names its credentials by reference ({\"env\": ...} or {\"file\":"
                  + " ...}): a sealed secret belongs to the one plan it was sealed for. Or leave"
                  + " the provider to each plan.");
        } else {
          @SuppressWarnings("unchecked")
          Map<String, ?> nested = (Map<String, ?>) child;
          refuseSealed(p, path + e.getKey() + ".", nested);
        }
      }
    }
  }

  private static Map<String, Object> providerDocument(MetricDefinition.ProviderSpec provider) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("type", provider.type());
    doc.putAll(provider.settings());
    return doc;
  }

  private static MetricDefinition.@Nullable Source seriesSource(SettingsReader m) {
    Object query = m.raw().get("query");
    if (query instanceof String s) {
      if (s.isBlank()) {
        m.violation("query", "must not be blank");
        return null;
      }
      return new MetricDefinition.Source.Series(s, null);
    }
    Optional<SettingsReader> q = m.object("query");
    if (q.isEmpty()) {
      return null;
    }
    String canary = q.get().requiredString("canary");
    String baseline = q.get().string("baseline").orElse(null);
    q.get().rejectUnknown();
    return canary == null ? null : new MetricDefinition.Source.Series(canary, baseline);
  }

  /**
   * {@code template: "http-error-rate"}: the router's ready-made count metric, each side read from
   * the router's own metrics of its stable and canary targets.
   */
  private MetricDefinition.@Nullable Source template(
      SettingsReader m,
      @Nullable RouterSpec router,
      MetricDefinition.@Nullable ProviderSpec provider) {
    Object name = m.raw().get("template");
    if (!(name instanceof String template)) {
      m.violation("template", "must be the name of a ready-made metric, such as http-error-rate");
      return null;
    }
    if (router == null) {
      return null; // the router's own violations say why
    }
    Optional<TrafficRouterFactory> factory = routers.find(router.type());
    if (factory.isEmpty()) {
      return null;
    }
    Optional<RouterMetric> metric = factory.get().metricTemplate(template, router.settings());
    if (metric.isEmpty()) {
      Optional<String> refusal = factory.get().metricTemplateRefusal(template, router.settings());
      if (refusal.isPresent()) {
        m.violation("template", refusal.get());
        return null;
      }
      Set<String> offered = new java.util.TreeSet<>(factory.get().metricTemplates());
      m.violation(
          "template",
          "the "
              + router.type()
              + " router offers "
              + (offered.isEmpty()
                  ? "no ready-made metrics; write the metric's counts"
                  : "the ready-made metrics "
                      + String.join(", ", offered)
                      + ", not '"
                      + template
                      + "'")
              + "; nor is it a stored metric template (GET /api/v1/metric-templates)");
      return null;
    }
    RouterMetric r = metric.get();
    if (provider != null && !provider.type().equals(r.provider())) {
      m.violation(
          "provider",
          "the "
              + router.type()
              + " router's "
              + template
              + " is read from "
              + r.source()
              + " through a "
              + r.provider()
              + " provider, not "
              + provider.type());
      return null;
    }
    String histogram = r.histogram();
    if (histogram != null) {
      return new MetricDefinition.Source.Histogram(histogram, r.baselineHistogram());
    }
    return new MetricDefinition.Source.Counts(
        r.bad(),
        r.total(),
        new MetricDefinition.Source.Counts.Side(r.baselineBad(), r.baselineTotal()));
  }

  /**
   * {@code counts: {bad, total}}: each template rendered for canary and baseline in turn; with
   * {@code baseline: {bad, total}}, the baseline's own.
   */
  private static MetricDefinition.@Nullable Source counts(SettingsReader m) {
    Optional<SettingsReader> c = m.object("counts");
    if (c.isEmpty()) {
      return null;
    }
    String bad = c.get().requiredString("bad");
    String total = c.get().requiredString("total");
    MetricDefinition.Source.Counts.Side baseline = null;
    Optional<SettingsReader> own = c.get().object("baseline");
    if (own.isPresent()) {
      String baselineBad = nonBlank(own.get(), "bad");
      String baselineTotal = nonBlank(own.get(), "total");
      own.get().rejectUnknown();
      if (baselineBad != null && baselineTotal != null) {
        baseline = new MetricDefinition.Source.Counts.Side(baselineBad, baselineTotal);
      }
    }
    c.get().rejectUnknown();
    if (bad != null && bad.isBlank()) {
      c.get().violation("bad", "must not be blank");
    }
    if (total != null && total.isBlank()) {
      c.get().violation("total", "must not be blank");
    }
    return bad == null || total == null || bad.isBlank() || total.isBlank()
        ? null
        : new MetricDefinition.Source.Counts(bad, total, baseline);
  }

  private static @Nullable String nonBlank(SettingsReader r, String key) {
    String value = r.requiredString(key);
    if (value != null && value.isBlank()) {
      r.violation(key, "must not be blank");
      return null;
    }
    return value;
  }

  private MetricDefinition.@Nullable Source histogramSource(
      SettingsReader m, MetricDefinition.@Nullable ProviderSpec provider) {
    String query = m.string("histogram").orElse(null);
    if (query == null || query.isBlank()) {
      m.violation(
          "histogram",
          "must be a query returning one series per bucket, labelled le, such as sum by (le)"
              + " (increase(http_request_duration_seconds_bucket{version=\"${version}\"}[${window}]))");
      return null;
    }
    if (provider != null
        && providers.find(provider.type()).map(f -> !f.deliversHistograms()).orElse(false)) {
      m.violation(
          "histogram",
          "the "
              + provider.type()
              + " provider cannot deliver histograms; use a provider that can (prometheus)");
    }
    return new MetricDefinition.Source.Histogram(query);
  }

  /**
   * Refuses a series whose points overlap — each sharing most of its requests with its neighbours —
   * when a judge compares them as independent observations.
   */
  private void overlapping(
      SettingsReader m,
      MetricDefinition.ProviderSpec provider,
      MetricDefinition.Source.Series s,
      Duration interval) {
    Optional<MetricProviderFactory> factory = providers.find(provider.type());
    if (factory.isEmpty()) {
      return;
    }
    for (String template : java.util.Arrays.asList(s.canary(), s.baseline())) {
      if (template == null) {
        continue;
      }
      Optional<String> why =
          factory.get().overlappingPoints(provider.settings(), template, interval);
      if (why.isPresent()) {
        m.violation("query", why.get());
        return;
      }
    }
  }

  private MetricDefinition.@Nullable ProviderSpec provider(SettingsReader m) {
    Optional<SettingsReader> p = m.object("provider");
    if (p.isEmpty()) {
      if (!m.has("provider")) {
        m.violation(
            "provider",
            "is required: {\"type\": one of "
                + String.join(", ", providers.types())
                + ", ...settings}");
      }
      return null;
    }
    String type = p.get().requiredString("type");
    Map<String, Object> settings = settingsOf(p.get().raw());
    if (type == null) {
      return null;
    }
    Optional<MetricProviderFactory> factory = providers.find(type);
    if (factory.isEmpty()) {
      p.get()
          .violation(
              "type",
              "unknown provider type '"
                  + type
                  + "'; known types: "
                  + String.join(", ", providers.types()));
      return null;
    }
    for (SettingViolation v : factory.get().validate(settings)) {
      p.get().violation(v.field(), v.message());
    }
    return new MetricDefinition.ProviderSpec(type, settings);
  }

  /** A nested {@code threshold} object: min, max, reducer and nothing else. */
  private static @Nullable Threshold thresholdObject(SettingsReader t) {
    Threshold threshold = JudgingReader.threshold(t, true);
    t.rejectUnknown();
    return threshold;
  }

  /** The settings of an adapter: everything in its object except {@code type}. */
  private static Map<String, Object> settingsOf(Map<String, ?> raw) {
    Map<String, Object> settings = new LinkedHashMap<>(raw);
    settings.remove("type");
    return settings;
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }
}
