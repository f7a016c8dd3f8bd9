package dev.aviary.controller.plan;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.analysis.judge.DataShape;
import dev.aviary.analysis.judge.Direction;
import dev.aviary.analysis.judge.Judges;
import dev.aviary.analysis.judge.mannwhitney.MannWhitneyOptions;
import dev.aviary.analysis.judge.sequential.SequentialOptions;
import dev.aviary.analysis.metrics.MetricProviders;
import dev.aviary.controller.routing.HeaderRoute;
import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.controller.routing.RouterMetric;
import dev.aviary.controller.routing.RouterTarget;
import dev.aviary.controller.routing.Routes;
import dev.aviary.controller.routing.TrafficRouter;
import dev.aviary.controller.routing.TrafficRouterFactory;
import dev.aviary.controller.routing.TrafficRouters;
import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

class PlanReaderTest {

  /**
   * A router type with one required setting, standing in for a real adapter so that this test
   * checks the reader's delegation and field paths without a database behind the dry-run ledger.
   */
  static final class AddressRouterFactory implements TrafficRouterFactory {
    @Override
    public String type() {
      return "needs-address";
    }

    @Override
    public Set<RouterCapability> capabilities() {
      return Set.of(RouterCapability.WEIGHTED_SPLIT);
    }

    @Override
    public List<SettingViolation> validate(Map<String, ?> settings) {
      List<SettingViolation> violations = new ArrayList<>();
      SettingsReader r = new SettingsReader(settings, violations);
      r.requiredString("address");
      r.rejectUnknown();
      return violations;
    }

    @Override
    public TrafficRouter create(RouterTarget target, Map<String, ?> settings) {
      throw new UnsupportedOperationException("validation only");
    }

    @Override
    public Set<String> metricTemplates() {
      return Set.of("http-error-rate");
    }

    /** {@code http-error-rate} read per server group from the address's own counters. */
    @Override
    public java.util.Optional<RouterMetric> metricTemplate(String name, Map<String, ?> settings) {
      if (!name.equals("http-error-rate")) {
        return java.util.Optional.empty();
      }
      String at = String.valueOf(settings.get("address"));
      return java.util.Optional.of(
          new RouterMetric(
              "bad{group=\"canary\",at=\"" + at + "\"}",
              "all{group=\"canary\",at=\"" + at + "\"}",
              "bad{group=\"stable\",at=\"" + at + "\"}",
              "all{group=\"stable\",at=\"" + at + "\"}",
              "prometheus",
              "the test's counters"));
    }
  }

  /** A router type that can do everything, and needs a setting for mirroring. */
  static final class CohortRouterFactory implements TrafficRouterFactory {
    @Override
    public String type() {
      return "cohorts";
    }

    @Override
    public Set<RouterCapability> capabilities() {
      return java.util.EnumSet.allOf(RouterCapability.class);
    }

    @Override
    public List<SettingViolation> validate(Map<String, ?> settings) {
      List<SettingViolation> violations = new ArrayList<>();
      SettingsReader r = new SettingsReader(settings, violations);
      r.bool("sticky", false);
      r.string("mirrorTarget");
      r.rejectUnknown();
      return violations;
    }

    @Override
    public java.util.Optional<String> missingSetting(
        RouterCapability capability, Map<String, ?> settings) {
      return capability == RouterCapability.MIRRORING && !settings.containsKey("mirrorTarget")
          ? java.util.Optional.of("mirroring needs mirrorTarget")
          : java.util.Optional.empty();
    }

    @Override
    public TrafficRouter create(RouterTarget target, Map<String, ?> settings) {
      throw new UnsupportedOperationException("validation only");
    }
  }

  private final PlanReader reader =
      new PlanReader(
          new TrafficRouters(List.of(new AddressRouterFactory(), new CohortRouterFactory())),
          MetricProviders.discover(),
          Judges.discover());

  private static Map<String, Object> step(String kind, Object value) {
    return Map.of(kind, value);
  }

  private static Map<String, Object> cohortPlan(Map<String, Object> router) {
    return aPlan("cohorts")
        .withRouter(router)
        .withStep(
            step(
                "setHeaderRoute",
                Map.of(
                    "name", "testers", "match", Map.of("header", "X-Canary", "value", "always"))))
        .withStep(
            step(
                "setHeaderRoute",
                Map.of("name", "beta", "match", Map.of("cookie", "beta", "regex", "1|yes"))))
        .withStep(step("setWeight", 10))
        .withStep(step("mirror", Map.of("percent", 20)))
        .withStep(step("setHeaderRoute", Map.of("name", "testers")))
        .withStep(step("mirror", Map.of("percent", 0)))
        .withStep(step("setWeight", 100))
        .build();
  }

  @Test
  void headerRoutesMirroringAndStickinessReadAndWriteBack() {
    PlanSpec plan =
        reader
            .read(cohortPlan(Map.of("type", "cohorts", "sticky", true, "mirrorTarget", "x")))
            .orThrow("plan");
    assertThat(plan.steps())
        .containsExactly(
            new Step.SetHeaderRoute(
                "testers",
                new HeaderRoute("testers", HeaderRoute.On.HEADER, "X-Canary", "always", null)),
            new Step.SetHeaderRoute(
                "beta", new HeaderRoute("beta", HeaderRoute.On.COOKIE, "beta", null, "1|yes")),
            new Step.SetWeight(10),
            new Step.Mirror(20),
            new Step.SetHeaderRoute("testers", null),
            new Step.Mirror(0),
            new Step.SetWeight(100));
    assertThat(plan.routesThrough(3).describe())
        .isEqualTo(
            "routes testers (header X-Canary = \"always\"), beta (cookie beta ~ \"1|yes\");"
                + " mirror 20%");
    assertThat(plan.routesThrough(6).describe()).isEqualTo("routes beta (cookie beta ~ \"1|yes\")");
    assertThat(plan.routesThrough(-1)).isEqualTo(Routes.NONE);
    PlanDocument written = PlanWriter.write(plan);
    assertThat(reader.read(asMap(written)).value()).isEqualTo(plan);
    assertThat(StepHandlers.describe(plan.steps().get(4))).isEqualTo("remove header route testers");
  }

  @Test
  void aStepOrSettingItsRouterCannotDoIsRefusedNamingTheStepAndTheRouter() {
    Parsed<PlanSpec> parsed =
        reader.read(cohortPlan(Map.of("type", "needs-address", "address", "a:1", "sticky", true)));
    assertThat(parsed.violations())
        .extracting(SettingViolation::field, SettingViolation::message)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "router.sticky",
                "the needs-address router has no sticky sessions (it offers weighted split);"
                    + " see the capability matrix in docs/routers.md"),
            org.assertj.core.groups.Tuple.tuple(
                "steps[0].setHeaderRoute",
                "the needs-address router has no header routes (it offers weighted split);"
                    + " see the capability matrix in docs/routers.md"),
            org.assertj.core.groups.Tuple.tuple(
                "steps[1].setHeaderRoute",
                "the needs-address router has no cookie routes (it offers weighted split);"
                    + " see the capability matrix in docs/routers.md"),
            org.assertj.core.groups.Tuple.tuple(
                "steps[3].mirror",
                "the needs-address router has no mirroring (it offers weighted split);"
                    + " see the capability matrix in docs/routers.md"));
    assertThat(fieldsOf(cohortPlan(Map.of("type", "cohorts"))))
        .as("the type can mirror, these settings cannot")
        .containsExactly("steps[3].mirror");
  }

  @Test
  void blueGreenStandsForAPreviewRouteItsAnalysisOneSwitchAndTheScaleDownDelay() {
    Map<String, Object> doc =
        new LinkedHashMap<>(aPlan("bg").withRouter(Map.of("type", "cohorts")).build());
    doc.remove("steps");
    doc.put(
        "blueGreen",
        Map.of(
            "preview",
            Map.of("header", "X-Preview", "value", "1"),
            "autoPromote",
            false,
            "scaleDownDelay",
            "2m"));
    PlanSpec plan = reader.read(doc).orThrow("plan");
    HeaderRoute preview = new HeaderRoute("preview", HeaderRoute.On.HEADER, "X-Preview", "1", null);
    assertThat(plan.steps())
        .containsExactly(
            new Step.SetHeaderRoute("preview", preview),
            new Step.Pause(null),
            new Step.SetWeight(100),
            new Step.Pause(Duration.ofMinutes(2)));
    assertThat(reader.read(asMap(PlanWriter.write(plan))).value())
        .as("stored and answered as the steps it stands for")
        .isEqualTo(plan);

    Map<String, Object> judged = new LinkedHashMap<>(valid());
    judged.remove("steps");
    judged.put("router", Map.of("type", "cohorts"));
    judged.put(
        "analysis",
        Map.of(
            "interval",
            "1m",
            "metrics",
            List.of(
                Map.of(
                    "name",
                    "m",
                    "provider",
                    Map.of("type", "web", "jsonPath", "$.v"),
                    "query",
                    "http://127.0.0.1:9/m",
                    "threshold",
                    Map.of("max", 1)))));
    judged.put(
        "blueGreen",
        Map.of("preview", Map.of("cookie", "preview", "value", "1"), "previewAnalyses", 3));
    Parsed<PlanSpec> withAnalysis = reader.read(judged);
    assertThat(withAnalysis.violations()).isEmpty();
    assertThat(withAnalysis.value().steps())
        .containsExactly(
            new Step.SetHeaderRoute(
                "preview", new HeaderRoute("preview", HeaderRoute.On.COOKIE, "preview", "1", null)),
            new Step.Analysis(3, null),
            new Step.SetWeight(100),
            new Step.Pause(Duration.ofSeconds(30)));
  }

  @Test
  void blueGreenNamesEveryBadFieldAndARouterWithoutHeaderRoutes() {
    Map<String, Object> doc =
        new LinkedHashMap<>(
            aPlan("bg-bad")
                .withRouter(Map.of("type", "needs-address", "address", "a:1"))
                .withWeights(100)
                .build());
    doc.put(
        "blueGreen",
        Map.of(
            "preview",
            Map.of("header", "X-Preview", "value", "1"),
            "previewAnalyses",
            2,
            "scaleDownDelay",
            "2d",
            "colour",
            "blue"));
    assertThat(fieldsOf(doc))
        .containsExactlyInAnyOrder(
            "steps",
            "blueGreen.preview",
            "blueGreen.previewAnalyses",
            "blueGreen.scaleDownDelay",
            "blueGreen.colour");
    Map<String, Object> noPreview = new LinkedHashMap<>(doc);
    noPreview.remove("steps");
    noPreview.put("router", Map.of("type", "cohorts"));
    noPreview.put("blueGreen", Map.of());
    assertThat(fieldsOf(noPreview)).containsExactly("blueGreen.preview");
  }

  @Test
  void headerRouteAndMirrorStepsNameEveryBadField() {
    Map<String, Object> doc =
        aPlan("bad-cohorts")
            .withRouter(Map.of("type", "cohorts", "mirrorTarget", "x"))
            .withStep(step("setHeaderRoute", Map.of("name", "Testers!")))
            .withStep(
                step(
                    "setHeaderRoute",
                    Map.of(
                        "name",
                        "both",
                        "match",
                        Map.of("header", "X-A", "cookie", "b", "value", "1"))))
            .withStep(
                step(
                    "setHeaderRoute",
                    Map.of("name", "re", "match", Map.of("header", "X-A", "regex", "(unclosed"))))
            .withStep(
                step(
                    "setHeaderRoute",
                    Map.of(
                        "name",
                        "q",
                        "match",
                        Map.of("header", "bad header", "value", "say \"hi\"", "extra", 1))))
            .withStep(step("setHeaderRoute", "testers"))
            .withStep(step("mirror", Map.of("percent", 150)))
            .withStep(step("mirror", Map.of()))
            .withStep(step("setWeight", 100))
            .build();
    assertThat(fieldsOf(doc))
        .containsExactlyInAnyOrder(
            "steps[0].setHeaderRoute.name",
            "steps[1].setHeaderRoute.match",
            "steps[2].setHeaderRoute.match.regex",
            "steps[3].setHeaderRoute.match.header",
            "steps[3].setHeaderRoute.match.value",
            "steps[3].setHeaderRoute.match.extra",
            "steps[4].setHeaderRoute",
            "steps[5].mirror.percent",
            "steps[6].mirror.percent");
  }

  private static Map<String, Object> valid() {
    return aPlan("checkout")
        .withRouter(Map.of("type", "needs-address", "address", "127.0.0.1:9999"))
        .withWeights(10, 50, 100)
        .build();
  }

  private List<String> fieldsOf(Map<String, Object> doc) {
    Parsed<PlanSpec> parsed = reader.read(doc);
    return parsed.violations().stream().map(SettingViolation::field).toList();
  }

  private static Map<String, Object> with(Map<String, Object> doc, String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(doc);
    copy.put(key, value);
    return copy;
  }

  @Test
  void aMinimalPlanGetsItsDefaults() {
    PlanSpec plan = reader.read(valid()).orThrow("plan");
    assertThat(plan.name()).isEqualTo("checkout");
    assertThat(plan.steps())
        .containsExactly(new Step.SetWeight(10), new Step.SetWeight(50), new Step.SetWeight(100));
    assertThat(plan.progressDeadline()).isEqualTo(Duration.ofMinutes(10));
    assertThat(plan.analysis()).isNull();
    assertThat(plan.router().settings())
        .containsEntry("address", "127.0.0.1:9999")
        .doesNotContainKey("type");
  }

  @Test
  void namesMustBeDnsLabels() {
    assertThat(fieldsOf(with(valid(), "name", "Checkout_Service"))).containsExactly("name");
    assertThat(fieldsOf(with(valid(), "name", "-lead"))).containsExactly("name");
    assertThat(fieldsOf(with(valid(), "name", "a".repeat(64)))).containsExactly("name");
    assertThat(fieldsOf(with(valid(), "name", "a".repeat(63)))).isEmpty();
  }

  @Test
  void weightsLieIn0To100AndNeverFall() {
    Map<String, Object> doc =
        with(
            valid(),
            "steps",
            List.of(
                Map.of("setWeight", 50),
                Map.of("setWeight", 20),
                Map.of("setWeight", 101),
                Map.of("setWeight", 2.5)));
    assertThat(fieldsOf(doc))
        .containsExactly("steps[1].setWeight", "steps[2].setWeight", "steps[3].setWeight");
    Parsed<PlanSpec> parsed = reader.read(doc);
    assertThat(parsed.violations().get(0).message()).contains("(50 at steps[0])");
  }

  @Test
  void stepsAreRequiredAndEachHoldsExactlyOneKnownKind() {
    Map<String, Object> noSteps = new LinkedHashMap<>(valid());
    noSteps.remove("steps");
    assertThat(fieldsOf(noSteps)).containsExactly("steps");
    assertThat(fieldsOf(with(valid(), "steps", List.of()))).containsExactly("steps");
    assertThat(fieldsOf(with(valid(), "steps", List.of(Map.of("setWeight", 5, "pause", Map.of())))))
        .containsExactly("steps[0]");
    assertThat(fieldsOf(with(valid(), "steps", List.of(Map.of("jump", 5)))))
        .containsExactly("steps[0]");
    assertThat(fieldsOf(with(valid(), "steps", List.of("setWeight")))).containsExactly("steps[0]");
  }

  @Test
  void anApprovalStepAsksAnyOperatorForADayUnlessItSaysOtherwiseAndNamesEveryBadField() {
    PlanSpec plan =
        reader.read(with(valid(), "steps", List.of(Map.of("approval", Map.of())))).orThrow("plan");
    assertThat(plan.steps())
        .containsExactly(
            new Step.Approval(
                Set.of("operator"),
                List.of(),
                Duration.ofHours(24),
                Step.Approval.OnTimeout.PAUSE,
                false));
    assertThat(StepHandlers.describe(plan.steps().get(0)))
        .isEqualTo("approval by any operator within 1d, then pause");
    Map<String, Object> bad =
        with(
            valid(),
            "steps",
            List.of(
                Map.of(
                    "approval",
                    Map.of(
                        "roles",
                        List.of("operator", "viewer"),
                        "approvers",
                        List.of("alice", "oidc:bob", "oidc:bob"),
                        "timeout",
                        "90d",
                        "onTimeout",
                        "approve",
                        "quorum",
                        2)),
                Map.of("approval", Map.of("roles", List.of("admin"), "timeout", "0s")),
                Map.of("approval", "yes")));
    assertThat(fieldsOf(bad))
        .containsExactlyInAnyOrder(
            "steps[0].approval.roles[1]",
            "steps[0].approval.approvers[0]",
            "steps[0].approval.approvers[2]",
            "steps[0].approval.timeout",
            "steps[0].approval.onTimeout",
            "steps[0].approval.quorum",
            "steps[1].approval.timeout",
            "steps[2].approval");
  }

  @Test
  void releaseWindowsAreReadWithTheirZoneAndEveryBadFieldIsNamed() {
    PlanSpec plan =
        reader
            .read(
                with(
                    valid(),
                    "windows",
                    List.of(
                        Map.of(
                            "days",
                            List.of("mon-thu", "sat"),
                            "from",
                            "09:00",
                            "to",
                            "16:00",
                            "timeZone",
                            "Europe/Berlin"),
                        Map.of("days", List.of("fri-mon"), "from", "22:00", "to", "02:00"))))
            .orThrow("plan");
    assertThat(plan.windows())
        .extracting(ReleaseWindow::describe)
        .containsExactly("mon-thu,sat 09:00-16:00 Europe/Berlin", "mon,fri-sun 22:00-02:00 UTC");
    Map<String, Object> bad =
        with(
            valid(),
            "windows",
            List.of(
                Map.of("days", List.of("weekdays"), "from", "9am", "to", "25:00"),
                Map.of("from", "10:00", "to", "10:00", "timeZone", "Mars/Olympus", "tz", "x"),
                Map.of("days", List.of(), "to", "12:00")));
    assertThat(fieldsOf(bad))
        .containsExactlyInAnyOrder(
            "windows[0].days[0]",
            "windows[0].from",
            "windows[0].to",
            "windows[1].timeZone",
            "windows[1].tz",
            "windows[1].to",
            "windows[2].days",
            "windows[2].from");
  }

  @Test
  void pausesTakeShortOrIsoDurationsOrWaitForAPerson() {
    Map<String, Object> doc =
        with(
            valid(),
            "steps",
            List.of(
                Map.of("pause", Map.of("duration", "30s")),
                Map.of("pause", Map.of("duration", "PT5M")),
                Map.of("pause", Map.of()),
                Map.of("pause", Map.of("duration", "30 seconds")),
                Map.of("pause", Map.of("until", "tomorrow"))));
    assertThat(fieldsOf(doc)).containsExactly("steps[3].pause.duration", "steps[4].pause.until");
    PlanSpec ok =
        reader
            .read(
                with(
                    valid(),
                    "steps",
                    List.of(
                        Map.of("pause", Map.of()), Map.of("pause", Map.of("duration", "PT5M")))))
            .orThrow("plan");
    assertThat(ok.steps())
        .containsExactly(new Step.Pause(null), new Step.Pause(Duration.ofMinutes(5)));
  }

  @Test
  void unknownRouterTypesAreRejectedWithTheKnownOnesListed() {
    Parsed<PlanSpec> parsed = reader.read(with(valid(), "router", Map.of("type", "haproxi")));
    assertThat(parsed.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("router.type");
              assertThat(v.message())
                  .isEqualTo("unknown router type 'haproxi'; known types: cohorts, needs-address");
            });
  }

  @Test
  void routerSettingsAreValidatedByTheirAdapterWhenThePlanIsWritten() {
    assertThat(fieldsOf(with(valid(), "router", Map.of("type", "needs-address", "adress", "x"))))
        .containsExactlyInAnyOrder("router.address", "router.adress");
  }

  @Test
  void unknownFieldsAreRejectedAtEveryLevel() {
    Map<String, Object> doc =
        aPlan("checkout")
            .withRouter(Map.of("type", "needs-address", "address", "a"))
            .withStep(Map.of("analysis", Map.of("count", 2, "extra", true)))
            .withMetric(
                Map.of(
                    "name",
                    "m",
                    "provider",
                    Map.of("type", "web", "jsonPath", "$.v"),
                    "query",
                    "http://x/m",
                    "threshold",
                    Map.of("max", 1, "maxx", 2),
                    "colour",
                    "red"))
            .withAnalysis("intervall", "1m")
            .with("colour", "red")
            .build();
    assertThat(fieldsOf(doc))
        .containsExactlyInAnyOrder(
            "colour",
            "analysis.intervall",
            "analysis.metrics[0].colour",
            "analysis.metrics[0].threshold.maxx",
            "steps[0].analysis.extra");
  }

  @Test
  void metricsAreCheckedThoroughly() {
    Map<String, Object> doc =
        aPlan("checkout")
            .withRouter(Map.of("type", "needs-address", "address", "a"))
            .withWeights(100)
            .withMetric(
                Map.of(
                    "name",
                    "latency",
                    "provider",
                    Map.of("type", "stackdriver"),
                    "query",
                    "q",
                    "threshold",
                    Map.of("max", 1)))
            .withMetric(
                Map.of(
                    "name",
                    "latency",
                    "provider",
                    Map.of("type", "prometheus"),
                    "query",
                    Map.of("canary", "a", "baseline", "b"),
                    "direction",
                    "up"))
            .withMetric(
                Map.of(
                    "name",
                    "errors",
                    "provider",
                    Map.of(
                        "type",
                        "prometheus",
                        "address",
                        "http://p:9090",
                        "auth",
                        Map.of("bearer", "t0ken")),
                    "query",
                    "q"))
            .withMetric(
                Map.of(
                    "name",
                    "p99",
                    "provider",
                    Map.of("type", "prometheus", "address", "http://p:9090"),
                    "query",
                    "q",
                    "threshold",
                    Map.of("min", 5, "max", 1, "reducer", "p101")))
            .build();
    List<String> fields = fieldsOf(doc);
    assertThat(fields)
        .containsExactlyInAnyOrder(
            "analysis.metrics[0].provider.type",
            "analysis.metrics[1].provider.address",
            "analysis.metrics[1].direction",
            "analysis.metrics[1].name",
            "analysis.metrics[2].provider.auth.bearer",
            "analysis.metrics[2]",
            "analysis.metrics[3].threshold.reducer",
            "analysis.metrics[3].threshold.min");
    assertThat(reader.read(doc).violations().toString())
        .doesNotContain("t0ken")
        .contains("unknown provider type 'stackdriver'")
        .contains("known types: ")
        .contains("datadog")
        .contains("prometheus");
  }

  @Test
  void countsAndHistogramsAreJudgedSequentiallyByDefaultAndRefuseWhatDoesNotFitThem() {
    Map<String, Object> prometheus = Map.of("type", "prometheus", "address", "http://p:9090");
    Map<String, Object> doc =
        aPlan("checkout")
            .withRouter(Map.of("type", "needs-address", "address", "a"))
            .withWeights(10, 100)
            .withMetric(
                Map.of(
                    "name",
                    "errors",
                    "provider",
                    prometheus,
                    "counts",
                    Map.of("bad", "b{v=\"${version}\"}", "total", "t{v=\"${version}\"}")))
            .withMetric(
                Map.of(
                    "name",
                    "latency",
                    "provider",
                    prometheus,
                    "histogram",
                    "sum by (le) (increase(d_bucket[${window}]))"))
            .build();
    PlanSpec plan = reader.read(doc).orThrow("plan");
    AnalysisSpec analysis = Objects.requireNonNull(plan.analysis());
    assertThat(analysis.metrics())
        .extracting(m -> m.judging().judge())
        .containsOnly(SequentialOptions.DEFAULT);
    assertThat(analysis.maxDuration()).isEqualTo(Duration.ofHours(1));
    assertThat(analysis.onUndecided()).isEqualTo(AnalysisSpec.UndecidedAction.PAUSE);

    Map<String, Object> wrong =
        aPlan("checkout")
            .withRouter(Map.of("type", "needs-address", "address", "a"))
            .withWeights(10, 100)
            .withMetric(
                Map.of(
                    "name",
                    "errors",
                    "provider",
                    prometheus,
                    "counts",
                    Map.of("bad", "b"),
                    "query",
                    "q",
                    "judge",
                    Map.of("type", "mann-whitney")))
            .withMetric(
                Map.of(
                    "name",
                    "latency",
                    "provider",
                    Map.of("type", "web", "jsonPath", "$.v"),
                    "histogram",
                    "http://x/h",
                    "threshold",
                    Map.of("max", 1)))
            .withMetric(
                Map.of(
                    "name",
                    "ratio",
                    "provider",
                    prometheus,
                    "query",
                    Map.of("canary", "rate(e[1m])", "baseline", "rate(e[1m])")))
            .withAnalysis("onUndecided", "ignore")
            .build();
    assertThat(fieldsOf(wrong))
        .containsExactlyInAnyOrder(
            "analysis.metrics[0]",
            "analysis.metrics[1].histogram",
            "analysis.metrics[1].threshold",
            "analysis.metrics[2].query",
            "analysis.onUndecided");
    assertThat(reader.read(wrong).violations().toString())
        .contains("holds query and counts; a metric has exactly one")
        .contains("the web provider cannot deliver histograms")
        .contains("[1m] is longer than the 1s step")
        .contains("Declare the metric as counts");
  }

  @Test
  void analysisSettingsHaveLimitsAndDefaults() {
    Map<String, Object> doc =
        aPlan("checkout")
            .withRouter(Map.of("type", "needs-address", "address", "a"))
            .withWeights(100)
            .withWebMetric("errors", "http://127.0.0.1/x", 0.01)
            .withAnalysis("interval", "500ms")
            .withAnalysis("failureLimit", -1)
            .withAnalysis("thresholds", Map.of("pass", 70, "marginal", 80))
            .withAnalysis("judge", Map.of("type", "t-test", "confidence", 1.5))
            .build();
    assertThat(fieldsOf(doc))
        .containsExactlyInAnyOrder(
            "analysis.interval",
            "analysis.failureLimit",
            "analysis.thresholds.marginal",
            "analysis.judge.type",
            "analysis.judge.confidence");

    Map<String, Object> defaults =
        aPlan("checkout")
            .withRouter(Map.of("type", "needs-address", "address", "a"))
            .withWeights(100)
            .withWebMetric("errors", "http://127.0.0.1/x", 0.01)
            .build();
    AnalysisSpec a = reader.read(defaults).orThrow("plan").analysis();
    assertThat(a.interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(a.warmup()).isZero();
    assertThat(a.failureLimit()).isZero();
    assertThat(a.inconclusiveLimit()).isZero();
    assertThat(a.consecutiveErrorLimit()).isEqualTo(4);
    assertThat(a.thresholds().pass()).isEqualTo(95);
    assertThat(a.judge()).isEqualTo(new MannWhitneyOptions(0.98, 0.25));
    assertThat(a.metrics().get(0).judging().direction()).isEqualTo(Direction.EITHER);
  }

  @Test
  void groupWeightsMustAddUp() {
    Map<String, Object> doc =
        aPlan("checkout")
            .withRouter(Map.of("type", "needs-address", "address", "a"))
            .withWeights(100)
            .withWebMetric("errors", "http://127.0.0.1/x", 0.01)
            .withAnalysis("groupWeights", Map.of("default", 60, "latency", 70))
            .build();
    assertThat(fieldsOf(doc))
        .containsExactlyInAnyOrder("analysis.groupWeights.latency", "analysis.groupWeights")
        .hasSize(2);
  }

  @Test
  void anAnalysisStepNeedsMetrics() {
    Map<String, Object> doc =
        aPlan("checkout")
            .withRouter(Map.of("type", "needs-address", "address", "a"))
            .withStep(Map.of("analysis", Map.of("count", 3)))
            .build();
    assertThat(fieldsOf(doc)).containsExactly("steps[0].analysis");
  }

  @Test
  void labelsAndNotificationsAreChecked() {
    Map<String, Object> doc =
        aPlan("checkout")
            .withRouter(Map.of("type", "needs-address", "address", "a"))
            .withWeights(100)
            .withLabels(Map.of("team", "payments", "bad key!", "x", "tier", "has space"))
            .with(
                "notifications",
                List.of(
                    Map.of("url", "ftp://hooks"),
                    Map.of("url", "https://hooks.example.com/x", "format", "teams")))
            .build();
    assertThat(fieldsOf(doc))
        .containsExactlyInAnyOrder(
            "labels.bad key!", "labels.tier", "notifications[0].url", "notifications[1].format");
  }

  @Test
  void hooksNameEveryBadField() {
    Map<String, Object> doc =
        aPlan("checkout")
            .withRouter(Map.of("type", "needs-address", "address", "127.0.0.1:9999"))
            .withWeights(100)
            .with(
                "hooks",
                List.of(
                    Map.of(
                        "name",
                        "Load Test",
                        "at",
                        "beforeWeightIncrease",
                        "url",
                        "https://a.example"),
                    Map.of("name", "gate", "at", "whenever", "url", "ftp://b"),
                    Map.of(
                        "name",
                        "gate",
                        "at",
                        "afterPromotion",
                        "url",
                        "https://c.example",
                        "timeout",
                        "5m"),
                    Map.of(
                        "name",
                        "start",
                        "at",
                        "beforeRollout",
                        "url",
                        "https://d.example",
                        "onFailure",
                        "pause",
                        "retries",
                        11,
                        "timeout",
                        "2d"),
                    Map.of("at", "beforePromotion")))
            .build();
    assertThat(fieldsOf(doc))
        .containsExactlyInAnyOrder(
            "hooks[0].name",
            "hooks[1].at",
            "hooks[1].url",
            "hooks[2].name",
            "hooks[2].timeout",
            "hooks[3].onFailure",
            "hooks[3].retries",
            "hooks[3].timeout",
            "hooks[4].name",
            "hooks[4].url");
  }

  @Test
  void notificationChannelsNameEveryBadField() {
    Map<String, Object> doc =
        aPlan("checkout")
            .withRouter(Map.of("type", "needs-address", "address", "127.0.0.1:9999"))
            .withWeights(100)
            .with(
                "notifications",
                List.of(
                    Map.of("type", "slack"),
                    Map.of("type", "chat", "url", "https://chat.example.com"),
                    Map.of(
                        "url", "https://hooks.example.com", "on", List.of("promoted", "shipped")),
                    Map.of(
                        "type",
                        "email",
                        "smtp",
                        Map.of("host", "smtp://mail", "security", "ssl", "username", "a"),
                        "from",
                        "nobody",
                        "to",
                        List.of()),
                    Map.of("type", "pagerduty", "routingKey", "R0123", "severity", "fatal"),
                    Map.of(
                        "type",
                        "github",
                        "repository",
                        "shop",
                        "commit",
                        "main",
                        "token",
                        Map.of("env", "GH"),
                        "format",
                        "json")))
            .build();
    assertThat(fieldsOf(doc))
        .containsExactlyInAnyOrder(
            "notifications[0].webhook",
            "notifications[1].type",
            "notifications[2].on[1]",
            "notifications[3].smtp.host",
            "notifications[3].smtp.security",
            "notifications[3].smtp.password",
            "notifications[3].from",
            "notifications[3].to",
            "notifications[4].routingKey",
            "notifications[4].severity",
            "notifications[5].repository",
            "notifications[5].commit",
            "notifications[5].format");
  }

  @Test
  void channelsHearTheirOwnDefaultEventsAndTheOnesAPlanNames() {
    PlanSpec plan =
        reader
            .read(
                aPlan("checkout")
                    .withRouter(Map.of("type", "needs-address", "address", "127.0.0.1:9999"))
                    .withWeights(100)
                    .with(
                        "notifications",
                        List.of(
                            Map.of("url", "https://hooks.example.com"),
                            Map.of("type", "slack", "webhook", Map.of("env", "SLACK")),
                            Map.of("type", "pagerduty", "routingKey", Map.of("env", "PD")),
                            Map.of(
                                "type",
                                "github",
                                "repository",
                                "acme/shop",
                                "token",
                                Map.of("env", "GH"),
                                "on",
                                List.of("promoted"))))
                    .build())
            .orThrow("plan");
    assertThat(plan.notifications().get(0).on()).isEqualTo(NotificationEvent.ALL);
    assertThat(plan.notifications().get(1).on())
        .contains(NotificationEvent.ROLLED_BACK, NotificationEvent.APPROVAL_NEEDED)
        .doesNotContain(NotificationEvent.STEP_COMPLETED);
    assertThat(plan.notifications().get(2).on())
        .containsExactlyInAnyOrder(
            NotificationEvent.ROLLED_BACK, NotificationEvent.FAILED, NotificationEvent.PROMOTED);
    assertThat(plan.notifications().get(3).on()).containsExactly(NotificationEvent.PROMOTED);
    NotificationSpec.GitHub github = (NotificationSpec.GitHub) plan.notifications().get(3);
    assertThat(github.commit()).isEqualTo("${commit}");
    assertThat(github.apiUrl()).hasToString("https://api.github.com");
  }

  @Test
  void writingAndReadingBackGivesTheSamePlan() {
    Map<String, Object> rich =
        aPlan("checkout")
            .withRouter(Map.of("type", "needs-address", "address", "127.0.0.1:9999"))
            .withLabels(Map.of("team", "payments"))
            .withWeights(5, 25)
            .withStep(Map.of("pause", Map.of("duration", "90s")))
            .withStep(Map.of("analysis", Map.of("count", 3, "duration", "5m")))
            .withStep(Map.of("pause", Map.of()))
            .withStep(
                Map.of(
                    "approval",
                    Map.of(
                        "roles",
                        List.of("admin", "operator"),
                        "approvers",
                        List.of("oidc:alice"),
                        "timeout",
                        "4h",
                        "onTimeout",
                        "rollback",
                        "excludeStarter",
                        true)))
            .withWeights(100)
            .withMetric(
                Map.of(
                    "name",
                    "error-rate",
                    "provider",
                    Map.of(
                        "type",
                        "prometheus",
                        "address",
                        "http://prom:9090",
                        "step",
                        "1m",
                        "auth",
                        Map.of("bearer", Map.of("env", "PROM_TOKEN"))),
                    "query",
                    Map.of(
                        "canary",
                        "rate(e{v=\"${version}\"}[1m])",
                        "baseline",
                        "rate(e{v=\"${baseline}\"}[1m])"),
                    "direction",
                    "increase",
                    "threshold",
                    Map.of("max", 0.01, "reducer", "p95"),
                    "critical",
                    true,
                    "group",
                    "errors",
                    "outliers",
                    Map.of("strategy", "remove", "factor", 2.5),
                    "effectSize",
                    Map.of("allowedIncrease", 1.1),
                    "seriesAggregation",
                    "sum"))
            .withWebMetric("latency", "http://127.0.0.1/latency", 300)
            .withMetric(
                Map.of(
                    "name",
                    "errors",
                    "provider",
                    Map.of("type", "prometheus", "address", "http://prom:9090"),
                    "counts",
                    Map.of(
                        "bad",
                        "sum(increase(r{v=\"${version}\",code=~\"5..\"}[${window}]))",
                        "total",
                        "sum(increase(r{v=\"${version}\"}[${window}]))"),
                    "judge",
                    Map.of("type", "sequential", "alpha", 0.005, "maxIncrease", 2)))
            .withMetric(
                Map.of(
                    "name",
                    "slow",
                    "provider",
                    Map.of("type", "prometheus", "address", "http://prom:9090"),
                    "histogram",
                    "sum by (le) (increase(d_bucket{v=\"${version}\"}[${window}]))"))
            .withAnalysis("interval", "30s")
            .withAnalysis("maxDuration", "2h")
            .withAnalysis("onUndecided", "rollback")
            .withAnalysis("warmup", "1m")
            .withAnalysis("groupWeights", Map.of("errors", 70, "default", 30))
            .with(
                "notifications",
                List.of(
                    Map.of(
                        "url",
                        "https://hooks.example.com/x",
                        "format",
                        "cloudevents",
                        "signingSecret",
                        Map.of("env", "HOOK_KEY"),
                        "on",
                        List.of("promoted", "rolledBack")),
                    Map.of("url", "https://hooks.slack.com/services/T/B/x", "format", "slack"),
                    Map.of("type", "teams", "webhook", Map.of("env", "TEAMS_URL")),
                    Map.of(
                        "type",
                        "email",
                        "smtp",
                        Map.of(
                            "host",
                            "smtp.example.com",
                            "username",
                            "aviary",
                            "password",
                            Map.of("env", "SMTP_PW")),
                        "from",
                        "aviary@example.com",
                        "to",
                        List.of("releases@example.com")),
                    Map.of("type", "pagerduty", "routingKey", Map.of("env", "PD_KEY")),
                    Map.of(
                        "type",
                        "github",
                        "repository",
                        "acme/shop",
                        "token",
                        Map.of("file", "/var/run/secrets/aviary/gh"))))
            .with("progressDeadline", "15m")
            .with(
                "hooks",
                List.of(
                    Map.of(
                        "name",
                        "load-test",
                        "at",
                        "beforeWeightIncrease",
                        "url",
                        "https://loadtest.example.com/run",
                        "signingSecret",
                        Map.of("env", "HOOK_KEY"),
                        "timeout",
                        "20m",
                        "retries",
                        3,
                        "onFailure",
                        "pause"),
                    Map.of(
                        "name", "purge", "at", "afterPromotion", "url", "https://cdn.example.com")))
            .build();
    for (Map<String, Object> doc : List.of(valid(), rich)) {
      PlanSpec first = reader.read(doc).orThrow("plan");
      PlanDocument written = PlanWriter.write(first);
      Parsed<PlanSpec> again = reader.read(asMap(written));
      assertThat(again.violations()).isEmpty();
      assertThat(again.value()).isEqualTo(first);
      assertThat(PlanWriter.write(again.value())).isEqualTo(written);
    }
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A document as a client sends it: JSON, read back as maps and lists. */
  static Map<String, Object> asMap(Object document) {
    return JSON.convertValue(document, new TypeReference<Map<String, Object>>() {});
  }

  @Test
  void aReadyMadeMetricIsTheRoutersPerGroupCountsAndIsWrittenBackByName() {
    Map<String, Object> prometheus = Map.of("type", "prometheus", "address", "http://p:9090");
    Map<String, Object> doc =
        aPlan("checkout")
            .withRouter(Map.of("type", "needs-address", "address", "lb-1"))
            .withWeights(10, 100)
            .withMetric(
                Map.of("name", "errors", "provider", prometheus, "template", "http-error-rate"))
            .build();
    PlanSpec plan = reader.read(doc).orThrow("plan");
    MetricDefinition errors = Objects.requireNonNull(plan.analysis()).metrics().get(0);
    assertThat(errors.template()).isEqualTo("http-error-rate");
    assertThat(errors.shape()).isEqualTo(DataShape.COUNTS);
    assertThat(errors.canaryTemplates())
        .containsExactly("bad{group=\"canary\",at=\"lb-1\"}", "all{group=\"canary\",at=\"lb-1\"}");
    assertThat(errors.baselineTemplates())
        .containsExactly("bad{group=\"stable\",at=\"lb-1\"}", "all{group=\"stable\",at=\"lb-1\"}");
    assertThat(errors.judging().judge().type()).isEqualTo("sequential");
    PlanDocument.MetricDocument written =
        java.util.Objects.requireNonNull(PlanWriter.write(plan).analysis()).metrics().get(0);
    assertThat(written.template()).isEqualTo("http-error-rate");
    assertThat(written.counts()).isNull();
  }

  @Test
  void aReadyMadeMetricTheRouterDoesNotOfferOrAnotherProviderIsRefusedByName() {
    Map<String, Object> doc =
        aPlan("checkout")
            .withRouter(Map.of("type", "needs-address", "address", "lb-1"))
            .withWeights(10, 100)
            .withMetric(
                Map.of(
                    "name",
                    "latency",
                    "provider",
                    Map.of("type", "prometheus", "address", "http://p:9090"),
                    "template",
                    "http-latency"))
            .withMetric(
                Map.of(
                    "name",
                    "errors",
                    "provider",
                    Map.of("type", "web", "jsonPath", "$.v"),
                    "template",
                    "http-error-rate"))
            .withMetric(
                Map.of(
                    "name",
                    "both",
                    "provider",
                    Map.of("type", "prometheus", "address", "http://p:9090"),
                    "template",
                    "http-error-rate",
                    "counts",
                    Map.of("bad", "a", "total", "b")))
            .build();
    assertThat(fieldsOf(doc))
        .containsExactlyInAnyOrder(
            "analysis.metrics[0].template", "analysis.metrics[1].provider", "analysis.metrics[2]");
    assertThat(reader.read(doc).violations().toString())
        .contains("offers the ready-made metrics http-error-rate, not 'http-latency'")
        .contains("through a prometheus provider, not web");
  }

  @Test
  void countsMayGiveTheBaselineItsOwnTemplates() {
    Map<String, Object> prometheus = Map.of("type", "prometheus", "address", "http://p:9090");
    Map<String, Object> doc =
        aPlan("checkout")
            .withRouter(Map.of("type", "needs-address", "address", "lb-1"))
            .withWeights(10, 100)
            .withMetric(
                Map.of(
                    "name",
                    "errors",
                    "provider",
                    prometheus,
                    "counts",
                    Map.of(
                        "bad", "c_bad",
                        "total", "c_all",
                        "baseline", Map.of("bad", "s_bad", "total", "s_all"))))
            .withMetric(
                Map.of(
                    "name",
                    "broken",
                    "provider",
                    prometheus,
                    "counts",
                    Map.of("bad", "c_bad", "total", "c_all", "baseline", Map.of("bad", " "))))
            .build();
    assertThat(fieldsOf(doc))
        .containsExactlyInAnyOrder(
            "analysis.metrics[1].counts.baseline.bad", "analysis.metrics[1].counts.baseline.total");
    Map<String, Object> valid = new LinkedHashMap<>(doc);
    @SuppressWarnings("unchecked")
    Map<String, Object> analysis = new LinkedHashMap<>((Map<String, Object>) doc.get("analysis"));
    analysis.put("metrics", List.of(((List<?>) analysis.get("metrics")).get(0)));
    valid.put("analysis", analysis);
    MetricDefinition errors =
        Objects.requireNonNull(reader.read(valid).orThrow("plan").analysis()).metrics().get(0);
    assertThat(errors.canaryTemplates()).containsExactly("c_bad", "c_all");
    assertThat(errors.baselineTemplates()).containsExactly("s_bad", "s_all");
  }

  /** Two revisions of one template, as the store would hold them. */
  private static PlanReader readerWithTemplates(PlanReader plain) {
    return new PlanReader(
        new TrafficRouters(List.of(new AddressRouterFactory())),
        MetricProviders.discover(),
        Judges.discover(),
        new StoredTemplates() {
          final Map<Integer, MetricTemplateSpec> revisions =
              Map.of(
                  1, templateRevision(plain, "errors_total"),
                  2, templateRevision(plain, "failures_total"));

          @Override
          public java.util.Optional<Revision> latest(String name) {
            return revision(name, 2);
          }

          @Override
          public java.util.Optional<Revision> revision(String name, int revision) {
            return name.equals("job-errors") && revisions.containsKey(revision)
                ? java.util.Optional.of(new Revision(revision, revisions.get(revision)))
                : java.util.Optional.empty();
          }
        });
  }

  private static MetricTemplateSpec templateRevision(PlanReader reader, String counter) {
    Map<String, Object> doc = new java.util.LinkedHashMap<>();
    doc.put("name", "job-errors");
    doc.put("parameters", List.of(Map.of("name", "job"), Map.of("name", "code", "default", "5..")));
    doc.put("provider", Map.of("type", "prometheus", "address", "http://template:9090"));
    doc.put(
        "counts",
        Map.of(
            "bad", counter + "{job=\"${job}\",version=\"${version}\",code=~\"${code}\"}",
            "total", counter + "{job=\"${job}\",version=\"${version}\"}"));
    return reader.readTemplate(doc).orThrow("template");
  }

  @Test
  void aStoredTemplateIsExpandedWithTheParametersAndWrittenBackByNameAndRevision() {
    PlanReader withTemplates = readerWithTemplates(reader);
    Map<String, Object> metric = new java.util.LinkedHashMap<>();
    metric.put("name", "errors");
    metric.put("template", "job-errors");
    metric.put("variables", Map.of("job", "payments"));
    PlanSpec latest =
        withTemplates
            .read(
                aPlan("checkout")
                    .withRouter(Map.of("type", "needs-address", "address", "lb-1"))
                    .withWeights(10, 100)
                    .withMetric(metric)
                    .build())
            .orThrow("plan");
    MetricDefinition errors = Objects.requireNonNull(latest.analysis()).metrics().get(0);
    assertThat(errors.canaryTemplates())
        .containsExactly(
            "failures_total{job=\"payments\",version=\"${version}\",code=~\"5..\"}",
            "failures_total{job=\"payments\",version=\"${version}\"}");
    assertThat(errors.provider().settings()).containsEntry("address", "http://template:9090");
    assertThat(errors.stored()).isNotNull();
    assertThat(Objects.requireNonNull(errors.stored()).revision()).isEqualTo(2);
    PlanDocument.MetricDocument asStored =
        Objects.requireNonNull(PlanWriter.write(latest).analysis()).metrics().get(0);
    assertThat(asStored.template()).isEqualTo("job-errors");
    assertThat(asStored.counts()).isNull();
    assertThat(asStored.provider()).isNull();
    assertThat(asStored.templateRevision()).as("follows the latest").isNull();
    assertThat(asStored.variables()).containsEntry("job", "payments");
    PlanDocument.MetricDocument asARolloutKeepsIt =
        Objects.requireNonNull(PlanWriter.writePinned(latest).analysis()).metrics().get(0);
    assertThat(asARolloutKeepsIt.templateRevision()).isEqualTo(2);

    metric.put("templateRevision", 1);
    metric.put("provider", Map.of("type", "prometheus", "address", "http://own:9090"));
    metric.put("variables", Map.of("job", "payments", "code", "503"));
    MetricDefinition pinned =
        Objects.requireNonNull(
                withTemplates
                    .read(
                        aPlan("checkout")
                            .withRouter(Map.of("type", "needs-address", "address", "lb-1"))
                            .withWeights(10, 100)
                            .withMetric(metric)
                            .build())
                    .orThrow("plan")
                    .analysis())
            .metrics()
            .get(0);
    assertThat(pinned.canaryTemplates().get(0))
        .isEqualTo("errors_total{job=\"payments\",version=\"${version}\",code=~\"503\"}");
    assertThat(pinned.provider().settings()).containsEntry("address", "http://own:9090");
    assertThat(Objects.requireNonNull(pinned.stored()).providerFromTemplate()).isFalse();
  }
}
