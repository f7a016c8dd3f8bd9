package dev.aviary.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.RetryableAnalysisException;
import dev.aviary.analysis.judge.EffectSize;
import dev.aviary.analysis.judge.MetricSpec;
import dev.aviary.analysis.judge.Reducer;
import dev.aviary.analysis.judge.ScoreThresholds;
import dev.aviary.analysis.judge.Threshold;
import dev.aviary.analysis.judge.ThresholdOnlyFactory;
import dev.aviary.analysis.judge.sequential.SequentialOptions;
import dev.aviary.analysis.metrics.MetricData;
import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.MetricProviders;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.QueryLanguage;
import dev.aviary.analysis.metrics.SeriesAggregation;
import dev.aviary.analysis.metrics.TimeSeries;
import dev.aviary.controller.analysis.AnalysisOutcome;
import dev.aviary.controller.analysis.AnalysisRun;
import dev.aviary.controller.analysis.AnalysisRunner;
import dev.aviary.controller.plan.AnalysisSpec;
import dev.aviary.controller.plan.Hook;
import dev.aviary.controller.plan.MetricDefinition;
import dev.aviary.controller.plan.PlanSpec;
import dev.aviary.controller.plan.RouterSpec;
import dev.aviary.controller.plan.Step;
import dev.aviary.controller.platform.RemoteCalls;
import dev.aviary.controller.routing.HeaderRoute;
import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.controller.routing.RouterException;
import dev.aviary.controller.routing.RouterTarget;
import dev.aviary.controller.routing.Routes;
import dev.aviary.controller.routing.TrafficRouter;
import dev.aviary.controller.routing.TrafficRouterFactory;
import dev.aviary.controller.routing.TrafficRouters;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.parallelrun.tally.ComparisonSummary;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every policy of a rollout's tick, driven by stepped time rather than a scheduler: the test hands
 * each tick the instant the rollout asked to be ticked at, with a router that keeps its weights in
 * memory and a metric whose value is a function of the window. No database, no Quartz, no waiting.
 */
class RolloutTickerTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static final Duration INTERVAL = Duration.ofMinutes(1);

  /** A router that holds one weight, remembers every change, and can be told to fail. */
  static final class FakeRouter implements TrafficRouter {
    int weight;
    final List<Integer> set = new ArrayList<>();
    final List<Boolean> finished = new ArrayList<>();
    boolean failing;
    boolean blind; // cannot report its weight, as a webhook
    boolean readsFailing; // sets weights, but reading them back fails
    boolean answerLost; // sets the weight, then the answer never arrives
    java.util.function.BooleanSupplier down = () -> false; // an outage, by the test's clock

    @Override
    public void setCanaryWeight(int w) {
      if (failing || down.getAsBoolean()) {
        throw new RouterException("router unreachable", true, null);
      }
      weight = w;
      set.add(w);
      routesWhenSetTo.put(w, routes);
      if (answerLost) {
        throw new RouterException("no answer after the change", true, null);
      }
    }

    @Override
    public OptionalInt currentCanaryWeight() {
      if (failing || readsFailing || down.getAsBoolean()) {
        throw new RouterException("router unreachable", true, null);
      }
      return blind ? OptionalInt.empty() : OptionalInt.of(weight);
    }

    Routes routes = Routes.NONE;
    final Map<Integer, Routes> routesWhenSetTo = new java.util.LinkedHashMap<>();

    @Override
    public void setRoutes(Routes wanted) {
      if (failing || down.getAsBoolean()) {
        throw new RouterException("router unreachable", true, null);
      }
      routes = wanted;
    }

    @Override
    public boolean holds(Routes wanted) {
      if (failing || readsFailing || down.getAsBoolean()) {
        throw new RouterException("router unreachable", true, null);
      }
      return routes.sameEffect(wanted);
    }

    @Override
    public void finish(boolean promoted) {
      if (failing || down.getAsBoolean()) {
        throw new RouterException("router unreachable", true, null);
      }
      finished.add(promoted);
      routes = Routes.NONE;
    }
  }

  private final FakeRouter router = new FakeRouter();

  /** The release gate: freezes and windows, as the test sets them. */
  private ReleaseGate gate = ReleaseGate.OPEN;

  private HookCalls hookCalls = HookCalls.GO;

  /**
   * The error rate the canary shows in a window, by the window's end; throws for a dead backend.
   */
  private Function<Instant, MetricData> errorRate = end -> values(0.01);

  /** Requests a window of the canary (version 2.0) and the baseline, and their error rates. */
  private double canaryRequests = 300;

  private double baselineRequests = 2700;
  private double canaryErrorRate = 0.01;
  private double baselineErrorRate = 0.01;

  private final List<AnalysisRun> analyses = new ArrayList<>();
  private final Map<AnalysisOutcome, Integer> counted = new EnumMap<>(AnalysisOutcome.class);

  private final RolloutTicker ticker = ticker(3);

  private RolloutTicker ticker(int routerFailureLimit) {
    TrafficRouterFactory routerFactory =
        new TrafficRouterFactory() {
          @Override
          public String type() {
            return "fake";
          }

          @Override
          public Set<RouterCapability> capabilities() {
            return java.util.EnumSet.allOf(RouterCapability.class);
          }

          @Override
          public List<SettingViolation> validate(Map<String, ?> settings) {
            return List.of();
          }

          @Override
          public TrafficRouter create(RouterTarget target, Map<String, ?> settings) {
            return router;
          }
        };
    MetricProviderFactory scripted =
        new MetricProviderFactory() {
          @Override
          public String type() {
            return "scripted";
          }

          @Override
          public List<SettingViolation> validate(Map<String, ?> settings) {
            return List.of();
          }

          @Override
          public MetricProvider create(Map<String, ?> settings, ProviderContext context) {
            return new MetricProvider() {
              @Override
              public String backend(MetricQuery query) {
                return "scripted";
              }

              @Override
              public MetricData fetch(MetricQuery query) {
                return errorRate.apply(query.end());
              }

              @Override
              public List<TimeSeries> fetchWindow(MetricQuery query) {
                String q = query.rendered(QueryLanguage.PROMQL);
                double requests = q.contains("2.0") ? canaryRequests : baselineRequests;
                double value =
                    q.startsWith("total")
                        ? requests
                        : requests * (q.contains("2.0") ? canaryErrorRate : baselineErrorRate);
                return List.of(new TimeSeries(Map.of(), new long[] {0}, new double[] {value}));
              }
            };
          }
        };
    // One attempt per call and breakers that never open: this test is about the tick's policies;
    // retries and breakers have their own tests against real servers.
    RemoteCalls remote =
        new RemoteCalls(
            RetryRegistry.of(RetryConfig.custom().maxAttempts(1).build()),
            CircuitBreakerRegistry.of(
                CircuitBreakerConfig.custom().minimumNumberOfCalls(Integer.MAX_VALUE).build()));
    AnalysisRunner runner =
        new AnalysisRunner(
            new MetricProviders(List.of(scripted)),
            ProviderContext.of(SecretResolver.fromMap(Map.of())),
            remote);
    TickCounters counters =
        new TickCounters() {
          @Override
          public void analysed(AnalysisOutcome outcome) {
            counted.merge(outcome, 1, Integer::sum);
          }

          @Override
          public void routerFailed(String routerType) {}
        };
    return new RolloutTicker(
        new TrafficRouters(List.of(routerFactory)),
        runner,
        remote,
        (r, run, now) -> analyses.add(run),
        counters,
        (rollout, from, noise) -> ComparisonSummary.builder().build(noise),
        new ReleaseGate() {
          @Override
          public Optional<String> closed(PlanSpec plan, Instant at) {
            return gate.closed(plan, at);
          }

          @Override
          public Optional<String> notYet(UUID rollout, PlanSpec plan, Instant createdAt) {
            return gate.notYet(rollout, plan, createdAt);
          }
        },
        (hook, body, key) -> hookCalls.ask(hook, body, key),
        Duration.ofSeconds(5),
        routerFailureLimit,
        ROLLBACK_ATTEMPTS);
  }

  private static final int ROLLBACK_ATTEMPTS = 20;

  private static MetricData values(double v) {
    return new MetricData.Values(new TimeSeries(Map.of(), new long[] {0}, new double[] {v}));
  }

  // ---- plans ------------------------------------------------------------------------------------

  private static PlanSpec plan(AnalysisSpec analysis, Duration deadline, Step... steps) {
    return new PlanSpec(
        "checkout",
        "",
        Map.of(),
        new RouterSpec("fake", Map.of()),
        List.of(steps),
        analysis,
        List.of(),
        deadline);
  }

  private static PlanSpec plan(Step... steps) {
    return plan(null, PlanSpec.DEFAULT_PROGRESS_DEADLINE, steps);
  }

  /** Error rate at most 2 %, judged on the canary alone, every minute. */
  private static AnalysisSpec analysis(
      Duration warmup,
      int failureLimit,
      int inconclusiveLimit,
      int errorLimit,
      AnalysisSpec.ErrorAction errorAction) {
    MetricSpec judging =
        MetricSpec.named("error-rate")
            .threshold(new Threshold(null, 0.02, Reducer.AVG))
            .effectSize(EffectSize.DEFAULT)
            .judge(new ThresholdOnlyFactory.Options())
            .build();
    MetricDefinition metric =
        new MetricDefinition(
            new MetricDefinition.ProviderSpec("scripted", Map.of()),
            new MetricDefinition.Source.Series("errors{version=\"${version}\"}", null),
            SeriesAggregation.NONE,
            judging,
            null);
    return new AnalysisSpec(
        INTERVAL,
        warmup,
        List.of(metric),
        failureLimit,
        inconclusiveLimit,
        errorLimit,
        errorAction,
        ScoreThresholds.DEFAULT,
        new ThresholdOnlyFactory.Options(),
        Map.of(),
        AnalysisSpec.DEFAULT_MAX_DURATION,
        AnalysisSpec.UndecidedAction.PAUSE);
  }

  /**
   * Errors counted per window and judged sequentially, with no pass on a quiet canary (passBelow
   * off): the judge decides on the split of errors between the sides alone.
   */
  private static AnalysisSpec sequential(Duration maxDuration, AnalysisSpec.UndecidedAction act) {
    SequentialOptions options = new SequentialOptions(0.01, 1, 1.5, null);
    MetricDefinition metric =
        new MetricDefinition(
            new MetricDefinition.ProviderSpec("scripted", Map.of()),
            new MetricDefinition.Source.Counts(
                "bad{version=\"${version}\"}", "total{version=\"${version}\"}"),
            SeriesAggregation.NONE,
            MetricSpec.named("errors").judge(options).build(),
            null);
    return new AnalysisSpec(
        INTERVAL,
        Duration.ZERO,
        List.of(metric),
        0,
        0,
        4,
        AnalysisSpec.ErrorAction.ROLLBACK,
        ScoreThresholds.DEFAULT,
        options,
        Map.of(),
        maxDuration,
        act);
  }

  private static AnalysisSpec analysis() {
    return analysis(Duration.ZERO, 0, 0, 4, AnalysisSpec.ErrorAction.ROLLBACK);
  }

  private static Rollout rollout() {
    return Rollout.create(
        UUID.randomUUID(),
        "checkout",
        1,
        "{}",
        new Release(Map.of("version", "2.0"), Map.of("version", "1.9"), Map.of(), null, null, "ci"),
        Slot.CANARY,
        T0);
  }

  // ---- driving ----------------------------------------------------------------------------------

  /** The instant of the last tick. */
  private Instant now = T0;

  /**
   * Ticks the rollout whenever it asks to be ticked, until it ends or {@code until} passes; the
   * events it produced are returned, oldest first.
   */
  private List<EventDraft> run(Rollout r, PlanSpec plan, Instant until) {
    List<EventDraft> events = new ArrayList<>(r.drainEvents());
    int guard = 0;
    while (r.nextTickAt() != null && !r.nextTickAt().isAfter(until)) {
      now = r.nextTickAt().isAfter(now) ? r.nextTickAt() : now;
      ticker.tick(r, plan, now);
      events.addAll(r.drainEvents());
      if (++guard > 100_000) {
        throw new AssertionError("the rollout never settles: " + r.phase());
      }
    }
    return events;
  }

  private List<EventDraft> runToEnd(Rollout r, PlanSpec plan) {
    return run(r, plan, now.plus(Duration.ofDays(2)));
  }

  private static List<String> reasons(List<EventDraft> events, EventType type) {
    return events.stream().filter(e -> e.type() == type).map(EventDraft::reason).toList();
  }

  // ---- the policies -----------------------------------------------------------------------------

  @Test
  void withoutAnalysisEveryWeightIsSetOnceInOrderAndTheCanaryIsPromoted() {
    Rollout r = rollout();
    runToEnd(r, plan(new Step.SetWeight(10), new Step.SetWeight(50), new Step.SetWeight(100)));
    assertThat(r.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(router.set).containsExactly(10, 50, 100);
    assertThat(router.finished).containsExactly(true);
  }

  private static final HeaderRoute TESTERS =
      new HeaderRoute("testers", HeaderRoute.On.HEADER, "X-Canary", "always", null);

  private static PlanSpec routedPlan() {
    return plan(
        analysis(),
        Duration.ofMinutes(10),
        new Step.SetHeaderRoute("testers", TESTERS),
        new Step.SetWeight(10),
        new Step.Mirror(20),
        new Step.SetWeight(50),
        new Step.SetHeaderRoute("testers", null),
        new Step.SetWeight(90));
  }

  @Test
  void headerRoutesAndMirroringHoldFromTheirStepUntilALaterStepOrTheEnd() {
    Rollout r = rollout();
    List<EventDraft> events = runToEnd(r, routedPlan());
    assertThat(r.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(router.routesWhenSetTo.get(10)).isEqualTo(Routes.NONE.with(TESTERS));
    assertThat(router.routesWhenSetTo.get(50)).isEqualTo(Routes.NONE.with(TESTERS).mirroring(20));
    assertThat(router.routesWhenSetTo.get(90)).isEqualTo(Routes.NONE.mirroring(20));
    assertThat(router.finished).containsExactly(true);
    assertThat(router.routes).as("the promotion removed them").isEqualTo(Routes.NONE);
    assertThat(reasons(events, EventType.ROUTES))
        .containsExactly(
            "router set to: routes testers (header X-Canary = \"always\")",
            "router set to: routes testers (header X-Canary = \"always\"); mirror 20%",
            "router set to: mirror 20%");
  }

  @Test
  void routesLostByTheRouterAreSetAgainOnTheNextTickAndARollbackRemovesThem() {
    errorRate = end -> end.isAfter(T0.plus(INTERVAL)) ? values(0.05) : values(0.01);
    Rollout r = rollout();
    PlanSpec plan = routedPlan();
    run(r, plan, T0);
    assertThat(router.weight).isEqualTo(10);
    router.routes = Routes.NONE; // a reload forgot them
    List<EventDraft> events = run(r, plan, T0.plus(INTERVAL));
    assertThat(router.routes.headerRoutes()).containsExactly(TESTERS);
    assertThat(reasons(events, EventType.ROUTES))
        .first()
        .as("set again before the tick went on to the mirror step")
        .isEqualTo("router set to: routes testers (header X-Canary = \"always\")");
    runToEnd(r, plan);
    assertThat(r.phase()).isEqualTo(Phase.ROLLED_BACK);
    assertThat(router.finished).containsExactly(false);
    assertThat(router.routes).isEqualTo(Routes.NONE);
  }

  /** What {@code "blueGreen": {"preview": X-Preview: 1}} stands for, with analysis. */
  private static PlanSpec blueGreen() {
    return plan(
        analysis(),
        Duration.ofMinutes(10),
        new Step.SetHeaderRoute(
            "preview", new HeaderRoute("preview", HeaderRoute.On.HEADER, "X-Preview", "1", null)),
        new Step.Analysis(2, null),
        new Step.SetWeight(100),
        new Step.Pause(Duration.ofSeconds(30)));
  }

  @Test
  void
      blueGreenJudgesThePreviewAtZeroThenSwitchesAllTrafficInOneChangeAndKeepsStableThroughTheDelay() {
    Rollout r = rollout();
    List<EventDraft> events = runToEnd(r, blueGreen());
    assertThat(r.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(router.set).as("one switch, nothing in between").containsExactly(100);
    assertThat(router.routesWhenSetTo.get(100).describe())
        .isEqualTo("routes preview (header X-Preview = \"1\")");
    assertThat(analyses)
        .as("two windows of preview traffic, from when the route was set")
        .extracting(AnalysisRun::start)
        .containsExactly(T0, T0.plus(INTERVAL));
    assertThat(reasons(events, EventType.WEIGHT))
        .containsExactly("canary weight 0% -> 100% (read back)");
    assertThat(now)
        .as("the scale-down delay after the switch")
        .isEqualTo(T0.plus(INTERVAL.multipliedBy(2)).plusSeconds(30));
    assertThat(router.finished).containsExactly(true);
    assertThat(router.routes).isEqualTo(Routes.NONE);
  }

  @Test
  void blueGreenAbortedDuringTheScaleDownDelaySwitchesBack() {
    Rollout r = rollout();
    PlanSpec plan = blueGreen();
    run(r, plan, T0.plus(INTERVAL.multipliedBy(2)));
    assertThat(router.weight).isEqualTo(100);
    assertThat(r.phase()).isEqualTo(Phase.PAUSED);
    r.abort("token:alice", now);
    runToEnd(r, plan);
    assertThat(r.phase()).isEqualTo(Phase.ABORTED);
    assertThat(router.set).containsExactly(100, 0);
    assertThat(router.finished).containsExactly(false);
  }

  @Test
  void eachWeightWaitsForAPassingAnalysisOneIntervalAfterItWasApplied() {
    Rollout r = rollout();
    List<EventDraft> events =
        runToEnd(
            r,
            plan(
                analysis(),
                Duration.ofMinutes(10),
                new Step.SetWeight(10),
                new Step.SetWeight(50)));
    assertThat(r.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(router.set).containsExactly(10, 50, 100);
    assertThat(analyses).hasSize(2);
    assertThat(analyses.get(0).start()).isEqualTo(T0);
    assertThat(analyses.get(0).end()).isEqualTo(T0.plus(INTERVAL));
    assertThat(reasons(events, EventType.ANALYSIS)).allMatch(s -> s.startsWith("SUCCESS"));
    assertThat(now).isEqualTo(T0.plus(INTERVAL.multipliedBy(2)));
  }

  @Test
  void theWarmupDelaysTheFirstWindowOfEachWeight() {
    Rollout r = rollout();
    runToEnd(
        r,
        plan(
            analysis(Duration.ofSeconds(30), 0, 0, 4, AnalysisSpec.ErrorAction.ROLLBACK),
            Duration.ofMinutes(10),
            new Step.SetWeight(10),
            new Step.SetWeight(50)));
    assertThat(analyses)
        .extracting(AnalysisRun::start)
        .containsExactly(T0.plusSeconds(30), T0.plusSeconds(30 + 60 + 30));
  }

  @Test
  void rollsBackWhenFailuresExceedTheFailureLimitAndNotBefore() {
    errorRate = end -> values(0.05);
    Rollout r = rollout();
    List<EventDraft> events =
        runToEnd(
            r,
            plan(
                analysis(Duration.ZERO, 1, 0, 4, AnalysisSpec.ErrorAction.ROLLBACK),
                Duration.ofMinutes(10),
                new Step.SetWeight(10),
                new Step.SetWeight(50)));
    assertThat(r.phase()).isEqualTo(Phase.ROLLED_BACK);
    assertThat(r.failures()).isEqualTo(2);
    assertThat(router.set).containsExactly(10, 0);
    assertThat(router.finished).containsExactly(false);
    assertThat(r.reason()).contains("analysis failed 2 time(s), more than failureLimit 1");
    assertThat(reasons(events, EventType.WEIGHT))
        .containsExactly(
            "canary weight 0% -> 10% (read back)", "canary weight 10% -> 0% (read back)");
  }

  @Test
  void backendErrorsPastTheLimitRollBackOrPauseAsErrorActionSays() {
    errorRate =
        end -> {
          throw new RetryableAnalysisException("connection refused to http://127.0.0.1:9");
        };
    Rollout rolledBack = rollout();
    runToEnd(
        rolledBack,
        plan(
            analysis(Duration.ZERO, 0, 0, 2, AnalysisSpec.ErrorAction.ROLLBACK),
            Duration.ofHours(1),
            new Step.SetWeight(10)));
    assertThat(rolledBack.phase()).isEqualTo(Phase.ROLLED_BACK);
    assertThat(rolledBack.consecutiveErrors()).isEqualTo(3);
    assertThat(rolledBack.reason())
        .contains("could not judge the canary")
        .contains("connection refused to http://127.0.0.1:9");
    assertThat(rolledBack.rollbackCause())
        .as("not a failed canary: nothing is known about it")
        .isEqualTo(RollbackCause.NOT_JUDGED);

    Rollout paused = rollout();
    router.set.clear();
    runToEnd(
        paused,
        plan(
            analysis(Duration.ZERO, 0, 0, 2, AnalysisSpec.ErrorAction.PAUSE),
            Duration.ofHours(1),
            new Step.SetWeight(10)));
    assertThat(paused.phase()).isEqualTo(Phase.PAUSED);
    assertThat(paused.canaryWeight()).isEqualTo(10);
    assertThat(paused.reason())
        .startsWith("paused for a person: could not judge the canary: its metrics could not be")
        .contains("3 times in a row")
        .contains("connection refused to http://127.0.0.1:9");
    assertThat(paused.waitsForPerson()).isTrue();
    assertThat(analyses.get(analyses.size() - 1).summary())
        .as("an error tick reaches no verdict and says why")
        .startsWith("no verdict, the metrics could not be fetched; error-rate: canary: ")
        .doesNotContain("FAIL");
  }

  // ---- freezes and release windows
  // ---------------------------------------------------------------

  @Test
  void aFreezeHoldsTheWeightPastTheProgressDeadlineAndTheRampGoesOnWhenItEnds() {
    Rollout r = rollout();
    Instant thaw = T0.plus(Duration.ofHours(3));
    gate =
        (plan, at) ->
            r.canaryWeight() >= 20 && at.isBefore(thaw)
                ? Optional.of("freeze \"sale\" on every plan")
                : Optional.empty();
    PlanSpec plan =
        plan(
            null,
            Duration.ofMinutes(10),
            new Step.SetWeight(20),
            new Step.SetWeight(50),
            new Step.SetWeight(100));
    List<EventDraft> frozen = run(r, plan, T0.plus(Duration.ofHours(2)));
    assertThat(r.phase()).as("held for two hours: no stall").isEqualTo(Phase.PROGRESSING);
    assertThat(router.set).containsExactly(20);
    assertThat(r.gateHold()).isEqualTo("freeze \"sale\" on every plan");
    assertThat(reasons(frozen, EventType.HOLD))
        .as("one event for the hold, not one per tick")
        .containsExactly("holding at 20%: freeze \"sale\" on every plan");

    List<EventDraft> thawed = runToEnd(r, plan);
    assertThat(r.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(router.set).containsExactly(20, 50, 100);
    assertThat(reasons(thawed, EventType.HOLD))
        .containsExactly("the release gate opened: traffic may rise again");
    assertThat(thawed.stream().filter(e -> e.type() == EventType.WEIGHT).findFirst())
        .get()
        .extracting(EventDraft::at)
        .satisfies(at -> assertThat(at).isAfterOrEqualTo(thaw));
  }

  @Test
  void aRolloutPastAConcurrencyLimitWaitsPendingAtZeroUntilASlotFrees() {
    Rollout r = rollout();
    Instant freed = T0.plus(Duration.ofMinutes(20));
    gate =
        new ReleaseGate() {
          @Override
          public Optional<String> closed(PlanSpec plan, Instant at) {
            return Optional.empty();
          }

          @Override
          public Optional<String> notYet(UUID rollout, PlanSpec plan, Instant createdAt) {
            return now.isBefore(freed) ? Optional.of("waiting for a slot") : Optional.empty();
          }
        };
    PlanSpec plan = plan(new Step.SetWeight(50), new Step.SetWeight(100));
    List<EventDraft> waiting = run(r, plan, T0.plus(Duration.ofMinutes(19)));
    assertThat(r.phase()).isEqualTo(Phase.PENDING);
    assertThat(router.set).isEmpty();
    assertThat(reasons(waiting, EventType.HOLD))
        .containsExactly("holding at 0%: waiting for a slot");
    runToEnd(r, plan);
    assertThat(r.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(router.set).containsExactly(50, 100);
  }

  @Test
  void aHeldRolloutIsStillJudgedAndRolledBackOnBadMetrics() {
    Rollout r = rollout();
    gate =
        (plan, at) ->
            r.canaryWeight() >= 20
                ? Optional.of("outside the plan's release windows")
                : Optional.empty();
    errorRate = end -> end.isAfter(T0.plus(Duration.ofMinutes(30))) ? values(0.05) : values(0.01);
    runToEnd(
        r,
        plan(analysis(), Duration.ofMinutes(10), new Step.SetWeight(20), new Step.SetWeight(100)));
    assertThat(r.phase()).isEqualTo(Phase.ROLLED_BACK);
    assertThat(r.rollbackCause()).isEqualTo(RollbackCause.CANARY_FAILED);
    assertThat(router.set).containsExactly(20, 0);
    assertThat(r.gateHold()).as("the way back is never held").isNull();
    assertThat(r.finishedAt()).isBefore(T0.plus(Duration.ofMinutes(35)));
  }

  // ---- approval steps ---------------------------------------------------------------------------

  private static Step.Approval approval(Duration timeout, Step.Approval.OnTimeout onTimeout) {
    return new Step.Approval(Set.of("operator"), List.of(), timeout, onTimeout, false);
  }

  @Test
  void anApprovalStepHoldsTheWeightPastTheProgressDeadlineUntilApprovedThenGoesOn() {
    Rollout r = rollout();
    PlanSpec plan =
        plan(
            null,
            Duration.ofMinutes(10),
            new Step.SetWeight(20),
            approval(Duration.ofHours(4), Step.Approval.OnTimeout.PAUSE),
            new Step.SetWeight(100));
    List<EventDraft> waiting = run(r, plan, T0.plus(Duration.ofHours(3)));
    assertThat(r.phase())
        .as("three hours of waiting for a person is no stall: progressDeadline is 10m")
        .isEqualTo(Phase.PROGRESSING);
    assertThat(r.canaryWeight()).isEqualTo(20);
    assertThat(router.set).containsExactly(20);
    assertThat(reasons(waiting, EventType.APPROVAL))
        .containsExactly("step 2 needs approval by any operator, until 2026-11-26T14:00:00Z");

    Instant answered = T0.plus(Duration.ofHours(3));
    r.approve("token:alice", "load test green", answered);
    List<EventDraft> after = runToEnd(r, plan);
    assertThat(r.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(router.set).containsExactly(20, 100);
    assertThat(reasons(after, EventType.APPROVAL))
        .containsExactly("step 2 approved by token:alice: load test green");
    assertThat(after.stream().filter(e -> e.type() == EventType.APPROVAL).findFirst())
        .get()
        .extracting(EventDraft::actor)
        .isEqualTo("token:alice");
  }

  @Test
  void anUnansweredApprovalPausesAtItsTimeoutAndAResumeWaitsAnotherTimeout() {
    Rollout r = rollout();
    PlanSpec plan =
        plan(
            new Step.SetWeight(20),
            approval(Duration.ofHours(1), Step.Approval.OnTimeout.PAUSE),
            new Step.SetWeight(100));
    run(r, plan, T0.plus(Duration.ofMinutes(59)));
    assertThat(r.phase()).isEqualTo(Phase.PROGRESSING);
    List<EventDraft> timedOut = run(r, plan, T0.plus(Duration.ofHours(5)));
    assertThat(r.phase()).isEqualTo(Phase.PAUSED);
    assertThat(r.waitsForPerson()).isTrue();
    assertThat(r.canaryWeight()).as("a timeout never approves").isEqualTo(20);
    assertThat(r.reason())
        .isEqualTo(
            "approval step 2: nobody answered within 1h; waiting for a person: approve, reject,"
                + " or resume to wait another 1h");
    assertThat(timedOut.stream().filter(e -> e.type() == EventType.TRANSITION).findFirst())
        .get()
        .extracting(EventDraft::at)
        .as("the tick is due at the timeout, not at the next idle tick")
        .isEqualTo(T0.plus(Duration.ofHours(1)));

    Instant resumed = T0.plus(Duration.ofHours(5));
    r.resume("token:bob", false, resumed);
    run(r, plan, resumed.plus(Duration.ofMinutes(59)));
    assertThat(r.phase()).as("the wait starts over").isEqualTo(Phase.PROGRESSING);
    assertThat(r.stepIndex()).as("a resume is not an approval").isEqualTo(1);
    run(r, plan, resumed.plus(Duration.ofHours(2)));
    assertThat(r.phase()).isEqualTo(Phase.PAUSED);

    r.approve("token:carol", null, now);
    runToEnd(r, plan);
    assertThat(r.phase()).as("an approval is a go, paused or not").isEqualTo(Phase.SUCCEEDED);
    assertThat(router.set).containsExactly(20, 100);
  }

  @Test
  void anUnansweredApprovalThatSaysRollbackRollsBackAtItsTimeout() {
    Rollout r = rollout();
    PlanSpec plan =
        plan(
            new Step.SetWeight(20),
            approval(Duration.ofMinutes(30), Step.Approval.OnTimeout.ROLLBACK),
            new Step.SetWeight(100));
    runToEnd(r, plan);
    assertThat(r.phase()).isEqualTo(Phase.ROLLED_BACK);
    assertThat(r.rollbackCause()).isEqualTo(RollbackCause.NOT_APPROVED);
    assertThat(r.reason()).contains("approval step 2: nobody answered within 30m");
    assertThat(router.set).containsExactly(20, 0);
    assertThat(r.finishedAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
  }

  @Test
  void aRejectionRollsBackAndAFailingCanaryRollsBackWhileItWaits() {
    Rollout rejected = rollout();
    PlanSpec plan =
        plan(
            analysis(),
            Duration.ofMinutes(10),
            new Step.SetWeight(20),
            approval(Duration.ofHours(4), Step.Approval.OnTimeout.PAUSE),
            new Step.SetWeight(100));
    run(rejected, plan, T0.plus(Duration.ofMinutes(30)));
    assertThat(rejected.phase()).isEqualTo(Phase.PROGRESSING);
    rejected.reject("token:alice", "CHG-1042 withdrawn", now);
    runToEnd(rejected, plan);
    assertThat(rejected.phase()).isEqualTo(Phase.ROLLED_BACK);
    assertThat(rejected.rollbackCause()).isEqualTo(RollbackCause.REJECTED);
    assertThat(rejected.reason()).contains("step 2 rejected by token:alice: CHG-1042 withdrawn");
    assertThat(router.set).containsExactly(20, 0);

    router.set.clear();
    Rollout failing = rollout();
    now = T0;
    errorRate = end -> end.isAfter(T0.plus(Duration.ofMinutes(20))) ? values(0.05) : values(0.01);
    runToEnd(failing, plan);
    assertThat(failing.phase())
        .as("analysis goes on while a person is asked: a bad canary does not wait for them")
        .isEqualTo(Phase.ROLLED_BACK);
    assertThat(failing.rollbackCause()).isEqualTo(RollbackCause.CANARY_FAILED);
    assertThat(failing.finishedAt()).isBefore(T0.plus(Duration.ofMinutes(25)));
  }

  @Test
  void aPersonsHoldOnATimedPauseOutlastsItsTimerUntilTheyResumeAndThenThePauseEndsAsUsual() {
    Rollout r = rollout();
    PlanSpec plan =
        plan(new Step.SetWeight(10), new Step.Pause(Duration.ofMinutes(5)), new Step.SetWeight(60));
    run(r, plan, T0.plus(Duration.ofMinutes(1)));
    r.pause("token:frank", now);
    run(r, plan, T0.plus(Duration.ofHours(3)));
    assertThat(r.phase()).as("held three hours past its timer").isEqualTo(Phase.PAUSED);
    assertThat(router.set).containsExactly(10);

    now = T0.plus(Duration.ofHours(3));
    r.resume("token:frank", true, now);
    assertThat(r.phase()).isEqualTo(Phase.PAUSED);
    runToEnd(r, plan);
    assertThat(r.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(router.set).containsExactly(10, 60, 100);
  }

  @Test
  void inconclusiveAnalysesPastTheLimitPauseForAPerson() {
    errorRate = end -> new MetricData.NoData("no series");
    Rollout r = rollout();
    run(
        r,
        plan(
            analysis(Duration.ZERO, 0, 2, 4, AnalysisSpec.ErrorAction.ROLLBACK),
            Duration.ofHours(1),
            new Step.SetWeight(10)),
        T0.plus(INTERVAL.multipliedBy(3)));
    assertThat(r.phase()).isEqualTo(Phase.PAUSED);
    assertThat(r.inconclusives()).isEqualTo(3);
    assertThat(counted).containsEntry(AnalysisOutcome.INCONCLUSIVE, 3);
    assertThat(router.set).containsExactly(10);
  }

  @Test
  void noProgressForTheProgressDeadlineRollsBackAtTheDeadline() {
    errorRate = end -> new MetricData.NoData("no series");
    Rollout r = rollout();
    runToEnd(
        r,
        plan(
            analysis(Duration.ZERO, 0, 1000, 4, AnalysisSpec.ErrorAction.ROLLBACK),
            Duration.ofMinutes(7),
            new Step.SetWeight(10)));
    assertThat(r.phase()).isEqualTo(Phase.ROLLED_BACK);
    assertThat(r.reason()).contains("no progress for 7m (progressDeadline)");
    assertThat(r.finishedAt())
        .isBetween(T0.plus(Duration.ofMinutes(7)), T0.plusSeconds(7 * 60 + 1));
  }

  @Test
  void aTimedPauseHoldsUntilItsEndAndNotAMillisecondLonger() {
    Rollout r = rollout();
    PlanSpec plan =
        plan(new Step.SetWeight(10), new Step.Pause(Duration.ofMinutes(5)), new Step.SetWeight(60));
    run(r, plan, T0.plus(Duration.ofMinutes(5)).minusMillis(1));
    assertThat(r.phase()).isEqualTo(Phase.PAUSED);
    assertThat(r.pauseUntil()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(r.nextTickAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(router.set).containsExactly(10);
    runToEnd(r, plan);
    assertThat(r.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(router.set).containsExactly(10, 60, 100);
  }

  /**
   * The metrics go down during a timed pause: the pause's time runs out, but the weight holds until
   * an analysis passes again. Before, the pause ended on time and traffic rose with no data.
   */
  @Test
  void aMetricsOutageDuringATimedPauseHoldsTheWeightUntilAnAnalysisPasses() {
    Instant outage = T0.plus(Duration.ofMinutes(2));
    Instant recovery = T0.plus(Duration.ofMinutes(12));
    errorRate =
        end -> {
          if (end.isAfter(outage) && end.isBefore(recovery)) {
            throw new RetryableAnalysisException("connection refused to http://127.0.0.1:9");
          }
          return values(0.01);
        };
    Rollout r = rollout();
    PlanSpec plan =
        plan(
            analysis(Duration.ZERO, 0, 0, 1000, AnalysisSpec.ErrorAction.PAUSE),
            Duration.ofHours(1),
            new Step.SetWeight(25),
            new Step.Pause(Duration.ofMinutes(5)),
            new Step.SetWeight(50));
    run(r, plan, recovery.minusSeconds(1));
    assertThat(r.pauseUntil()).as("the pause's time ran out").isBefore(recovery.minusSeconds(60));
    assertThat(r.phase()).isEqualTo(Phase.PAUSED);
    assertThat(router.set).as("held at 25 % while the metrics were down").containsExactly(25);
    assertThat(counted.get(AnalysisOutcome.ERROR)).isGreaterThanOrEqualTo(8);
    runToEnd(r, plan);
    assertThat(r.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(router.set).containsExactly(25, 50, 100);
  }

  /** A step that raises traffic waits for a passing analysis too, not only a pause. */
  @Test
  void aWeightRisesOnlyAfterTheLastAnalysisAtTheCurrentWeightPassed() {
    errorRate = end -> new MetricData.NoData("no series");
    Rollout r = rollout();
    PlanSpec plan =
        plan(
            analysis(Duration.ZERO, 0, 1000, 4, AnalysisSpec.ErrorAction.ROLLBACK),
            Duration.ofHours(1),
            new Step.SetWeight(10),
            new Step.SetWeight(50));
    run(r, plan, T0.plus(Duration.ofMinutes(30)));
    assertThat(router.set).containsExactly(10);
    assertThat(r.phase()).isEqualTo(Phase.PROGRESSING);
    // a person's promotion stands for a pass
    r.promote(false, plan.steps().size(), "token:alice", now);
    runToEnd(r, plan);
    assertThat(router.set).startsWith(10, 50);
  }

  @Test
  void aPauseWithoutDurationWaitsForAPersonAndResumeCompletesIt() {
    Rollout r = rollout();
    PlanSpec plan = plan(new Step.SetWeight(10), new Step.Pause(null), new Step.SetWeight(60));
    run(r, plan, T0.plus(Duration.ofHours(1)));
    assertThat(r.phase()).isEqualTo(Phase.PAUSED);
    assertThat(r.nextTickAt()).isEqualTo(now.plus(Duration.ofSeconds(5)));
    assertThat(r.phase()).isEqualTo(Phase.PAUSED);
    r.resume("token:alice", true, now);
    List<EventDraft> after = runToEnd(r, plan);
    assertThat(r.phase()).as(after.toString()).isEqualTo(Phase.SUCCEEDED);
    assertThat(router.set).containsExactly(10, 60, 100);
  }

  @Test
  void aWeightChangedByHandIsSetBackAndRecordedAsDrift() {
    Rollout r = rollout();
    PlanSpec plan =
        plan(analysis(), Duration.ofMinutes(10), new Step.SetWeight(20), new Step.SetWeight(40));
    run(r, plan, T0.plusSeconds(30));
    assertThat(router.weight).isEqualTo(20);
    router.weight = 70; // someone edits the load balancer
    List<EventDraft> events = runToEnd(r, plan);
    assertThat(reasons(events, EventType.DRIFT))
        .containsExactly("the router reported 70% instead of 20%; set it again");
    assertThat(router.set).containsExactly(20, 20, 40, 100);
    assertThat(r.phase()).isEqualTo(Phase.SUCCEEDED);
  }

  @Test
  void aWeightAppliedBeforeACrashIsRecordedWithoutAskingTheRouterAgain() {
    Rollout r = rollout();
    PlanSpec plan = plan(new Step.SetWeight(30), new Step.SetWeight(100));
    // The tick that decided 30% committed; the controller then set the router and died before
    // recording it. The next tick finds the router already there.
    ticker.tick(r, plan, T0);
    assertThat(r.desiredWeight()).isEqualTo(30);
    assertThat(r.canaryWeight()).isZero();
    router.weight = 30;
    r.drainEvents();
    ticker.tick(r, plan, T0.plusMillis(1));
    assertThat(r.canaryWeight()).isEqualTo(30);
    assertThat(router.set).isEmpty();
    assertThat(reasons(r.drainEvents(), EventType.WEIGHT))
        .containsExactly("canary weight 0% -> 30% (read back)");
    runToEnd(r, plan);
    assertThat(router.set).containsExactly(100);
  }

  /**
   * The router applied the weight but its answer was lost (a timeout after the last command): the
   * same tick reads the router, finds the weight there and records it then — not a later tick,
   * whose time would claim the traffic moved later than it did.
   */
  @Test
  void aWeightThatReachedTheRouterDespiteAFailedCallIsRecordedInTheSameTick() {
    Rollout r = rollout();
    PlanSpec plan = plan(new Step.SetWeight(30), new Step.SetWeight(100));
    ticker.tick(r, plan, T0);
    assertThat(r.desiredWeight()).isEqualTo(30);
    router.answerLost = true;
    r.drainEvents();
    Instant at = T0.plusMillis(1);
    ticker.tick(r, plan, at);
    assertThat(r.canaryWeight()).isEqualTo(30);
    List<EventDraft> events = r.drainEvents();
    assertThat(events)
        .filteredOn(e -> e.type() == EventType.WEIGHT)
        .singleElement()
        .satisfies(e -> assertThat(e.at()).isEqualTo(at));
    assertThat(events).noneMatch(e -> e.type() == EventType.ROUTER_ERROR);
    assertThat(r.routerFailures()).isZero();
  }

  @Test
  void aRouterThatCannotBeDrivenRollsBackAfterTheLimitAndFailsIfItStaysDown() {
    Rollout r = rollout();
    PlanSpec plan =
        plan(new Step.SetWeight(10), new Step.Pause(Duration.ofMinutes(1)), new Step.SetWeight(50));
    run(r, plan, T0.plusSeconds(30));
    assertThat(router.weight).isEqualTo(10);
    router.failing = true;
    runToEnd(r, plan);
    assertThat(r.phase()).isEqualTo(Phase.FAILED);
    assertThat(r.reason())
        .startsWith(
            "the router could not be driven back to stable after " + (ROLLBACK_ATTEMPTS + 1))
        .contains("set it by hand");
    assertThat(router.weight).isEqualTo(10);
    assertThat(router.set).containsExactly(10);
  }

  /**
   * A router down for two minutes: the rollout is rolled back, and the way back keeps trying until
   * the router answers, then sets 0 % — it does not end FAILED with the canary still taking
   * traffic.
   */
  @Test
  void aRouterOutageEndsRolledBackWithTheCanaryAtZeroOnceTheRouterAnswers() {
    Rollout r = rollout();
    PlanSpec plan =
        plan(
            new Step.SetWeight(25), new Step.Pause(Duration.ofMinutes(10)), new Step.SetWeight(50));
    run(r, plan, T0.plusSeconds(30));
    assertThat(router.weight).isEqualTo(25);
    Instant outageEnds = now.plus(Duration.ofMinutes(2));
    router.down = () -> now.isBefore(outageEnds);
    runToEnd(r, plan);
    assertThat(r.phase()).isEqualTo(Phase.ROLLED_BACK);
    assertThat(router.weight).isZero();
    assertThat(router.set).containsExactly(25, 0);
    assertThat(router.finished).containsExactly(false);
  }

  /** Rolling back sets 0 % even when the router cannot say what it holds. */
  @Test
  void rollingBackSetsZeroEvenWhenTheWeightCannotBeRead() {
    Rollout r = rollout();
    PlanSpec plan =
        plan(
            new Step.SetWeight(25), new Step.Pause(Duration.ofMinutes(10)), new Step.SetWeight(50));
    run(r, plan, T0.plusSeconds(30));
    router.readsFailing = true;
    runToEnd(r, plan);
    assertThat(r.phase()).isEqualTo(Phase.ROLLED_BACK);
    assertThat(router.weight).isZero();
    assertThat(r.weightVerified()).isFalse();
  }

  @Test
  void aRouterThatCannotReportItsWeightIsSetOnEveryTickAndMarkedUnverified() {
    router.blind = true;
    Rollout r = rollout();
    runToEnd(r, plan(new Step.SetWeight(10), new Step.SetWeight(100)));
    assertThat(r.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(r.weightVerified()).isFalse();
    assertThat(router.set).startsWith(10).endsWith(100);
  }

  @Test
  void anAbortDrivesTrafficBackToStableOnTheNextTick() {
    Rollout r = rollout();
    PlanSpec plan = plan(new Step.SetWeight(25), new Step.Pause(null));
    runToEnd(r, plan);
    assertThat(router.weight).isEqualTo(25);
    r.abort("token:alice", now);
    runToEnd(r, plan);
    assertThat(r.phase()).isEqualTo(Phase.ABORTED);
    assertThat(router.set).containsExactly(25, 0);
    assertThat(router.finished).containsExactly(false);
  }

  @Test
  void aFatalMetricErrorCountsAsAnErrorNotAFailure() {
    errorRate =
        end -> {
          throw new FatalAnalysisException("Prometheus rejected the query (bad_data): parse error");
        };
    Rollout r = rollout();
    runToEnd(
        r,
        plan(
            analysis(Duration.ZERO, 0, 0, 0, AnalysisSpec.ErrorAction.PAUSE),
            Duration.ofHours(1),
            new Step.SetWeight(10)));
    assertThat(r.failures()).isZero();
    assertThat(r.phase()).isEqualTo(Phase.PAUSED);
    assertThat(r.reason()).contains("bad_data");
  }

  // ---- sequential judging -----------------------------------------------------------------------

  @Test
  void aCanaryWithThreeTimesTheErrorsIsRolledBackOnTheSequentialEvidence() {
    canaryErrorRate = 0.03;
    Rollout r = rollout();
    List<EventDraft> events =
        runToEnd(
            r,
            plan(
                sequential(Duration.ofHours(1), AnalysisSpec.UndecidedAction.PAUSE),
                PlanSpec.DEFAULT_PROGRESS_DEADLINE,
                new Step.SetWeight(10),
                new Step.Analysis(1, null),
                new Step.SetWeight(100)));
    assertThat(r.phase()).isEqualTo(Phase.ROLLED_BACK);
    assertThat(router.set).containsExactly(10, 0);
    assertThat(analyses).isNotEmpty().hasSizeLessThan(10);
    assertThat(reasons(events, EventType.TRANSITION))
        .anySatisfy(reason -> assertThat(reason).contains("errors HIGH", "proven worse"));
  }

  @Test
  void aHealthyCanaryWaitsUndecidedPastTheProgressDeadlineUntilSafetyIsShownThenIsPromoted() {
    Rollout r = rollout();
    runToEnd(
        r,
        plan(
            sequential(Duration.ofHours(2), AnalysisSpec.UndecidedAction.PAUSE),
            Duration.ofMinutes(10),
            new Step.SetWeight(10),
            new Step.Analysis(1, null),
            new Step.SetWeight(100)));
    assertThat(r.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(router.set).containsExactly(10, 100);
    // undecided ticks first (at 3 canary errors a minute that takes more than ten), then a pass
    assertThat(analyses.stream().map(AnalysisRun::outcome).distinct())
        .containsExactly(AnalysisOutcome.UNDECIDED, AnalysisOutcome.SUCCESS);
    assertThat(analyses).hasSizeGreaterThan(10);
    assertThat(counted).doesNotContainKey(AnalysisOutcome.INCONCLUSIVE);
  }

  @Test
  void anAnalysisStepUndecidedForMaxDurationPausesForAPersonAndAResumeWaitsAfresh() {
    canaryErrorRate = 0;
    baselineErrorRate = 0; // no errors on either side: the ratio can never be shown
    Rollout r = rollout();
    PlanSpec plan =
        plan(
            sequential(Duration.ofMinutes(30), AnalysisSpec.UndecidedAction.PAUSE),
            Duration.ofMinutes(10),
            new Step.SetWeight(10),
            new Step.Analysis(1, null),
            new Step.SetWeight(100));
    List<EventDraft> events = run(r, plan, T0.plus(Duration.ofHours(3)));
    assertThat(r.phase()).isEqualTo(Phase.PAUSED);
    assertThat(router.set).containsExactly(10);
    EventDraft paused =
        events.stream()
            .filter(e -> e.type() == EventType.TRANSITION && e.toPhase() == Phase.PAUSED)
            .findFirst()
            .orElseThrow();
    assertThat(paused.reason()).contains("undecided for 30m (maxDuration)");
    assertThat(Duration.between(T0, paused.at()))
        .isBetween(Duration.ofMinutes(30), Duration.ofMinutes(32));

    Instant resumedAt = T0.plus(Duration.ofHours(3));
    r.resume("alice", false, resumedAt);
    now = resumedAt;
    events = run(r, plan, resumedAt.plus(Duration.ofHours(2)));
    EventDraft pausedAgain =
        events.stream()
            .filter(e -> e.type() == EventType.TRANSITION && e.toPhase() == Phase.PAUSED)
            .findFirst()
            .orElseThrow();
    assertThat(Duration.between(resumedAt, pausedAgain.at()))
        .isBetween(Duration.ofMinutes(30), Duration.ofMinutes(32));
  }

  @Test
  void onUndecidedRollbackReturnsTrafficAfterMaxDuration() {
    canaryErrorRate = 0;
    baselineErrorRate = 0;
    Rollout r = rollout();
    List<EventDraft> events =
        runToEnd(
            r,
            plan(
                sequential(Duration.ofMinutes(20), AnalysisSpec.UndecidedAction.ROLLBACK),
                Duration.ofMinutes(10),
                new Step.SetWeight(10),
                new Step.Analysis(1, null),
                new Step.SetWeight(100)));
    assertThat(r.phase()).isEqualTo(Phase.ROLLED_BACK);
    assertThat(router.set).containsExactly(10, 0);
    assertThat(reasons(events, EventType.TRANSITION))
        .anySatisfy(reason -> assertThat(reason).contains("onUndecided is rollback"));
  }

  // ---- hooks
  // --------------------------------------------------------------------------------------

  private static PlanSpec withHooks(PlanSpec p, Hook... hooks) {
    return new PlanSpec(
        p.name(),
        p.description(),
        p.labels(),
        p.router(),
        p.steps(),
        p.analysis(),
        p.notifications(),
        p.progressDeadline(),
        p.windows(),
        List.of(hooks));
  }

  private static Hook gate(
      String name, Hook.Point at, Duration timeout, int retries, Hook.OnFailure onFailure) {
    return new Hook(
        name,
        at,
        java.net.URI.create("http://hooks.test/" + name),
        null,
        timeout,
        retries,
        onFailure);
  }

  @Test
  void aLoadTestHookThatSaysWaitThenGoHoldsEachRaiseUntilItsGoAndOutlivesProgressDeadline() {
    List<String> asked = new ArrayList<>();
    List<Instant> askedAt = new ArrayList<>();
    Map<String, Integer> calls = new java.util.HashMap<>();
    hookCalls =
        (hook, body, key) -> {
          asked.add(key);
          askedAt.add(now);
          // each gate: three waits of 5 minutes, then go — 15 minutes, past progressDeadline (10m)
          int n = calls.merge(key, 1, Integer::sum);
          return n <= 3
              ? HookAnswer.waiting("load test running", Duration.ofMinutes(5))
              : HookAnswer.go("p99 fine");
        };
    Rollout r = rollout();
    PlanSpec plan =
        withHooks(
            plan(new Step.SetWeight(10), new Step.SetWeight(50), new Step.SetWeight(100)),
            gate(
                "load",
                Hook.Point.BEFORE_WEIGHT_INCREASE,
                Duration.ofHours(1),
                2,
                Hook.OnFailure.ROLLBACK));
    List<EventDraft> events = runToEnd(r, plan);
    assertThat(r.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(router.set).containsExactly(10, 50, 100);
    // asked before 10 % and before 50 %, not before 100 % (that is promotion), four times each
    assertThat(asked.stream().distinct().toList())
        .containsExactly(
            "aviary-hook-" + r.id() + "-load-beforeWeightIncrease:0:10",
            "aviary-hook-" + r.id() + "-load-beforeWeightIncrease:1:50");
    assertThat(asked).hasSize(8);
    assertThat(Duration.between(askedAt.get(0), askedAt.get(3))).isEqualTo(Duration.ofMinutes(15));
    assertThat(reasons(events, EventType.HOOK))
        .contains(
            "hook load: waiting for its go (beforeWeightIncrease)",
            "hook load: said go: p99 fine (beforeWeightIncrease, to 10%)",
            "hook load: said go: p99 fine (beforeWeightIncrease, to 50%)");
  }

  @Test
  void aNoGoBeforePromotionRollsBackWithTheHooksReason() {
    hookCalls = (hook, body, key) -> HookAnswer.noGo("CHG-7 is not approved");
    Rollout r = rollout();
    List<EventDraft> events =
        runToEnd(
            r,
            withHooks(
                plan(new Step.SetWeight(20), new Step.SetWeight(100)),
                gate(
                    "change",
                    Hook.Point.BEFORE_PROMOTION,
                    Duration.ofMinutes(5),
                    2,
                    Hook.OnFailure.ROLLBACK)));
    assertThat(r.phase()).isEqualTo(Phase.ROLLED_BACK);
    assertThat(r.rollbackCause()).isEqualTo(RollbackCause.HOOK_FAILED);
    assertThat(router.set).containsExactly(20, 0);
    assertThat(reasons(events, EventType.HOOK))
        .contains("hook change failed: said no-go: CHG-7 is not approved");
  }

  @Test
  void failedCallsAreRetriedWithBackoffAndOneTooManyPausesAndAResumeAsksAfresh() {
    List<Instant> askedAt = new ArrayList<>();
    boolean[] healthy = {false};
    hookCalls =
        (hook, body, key) -> {
          askedAt.add(now);
          return healthy[0] ? HookAnswer.go("") : HookAnswer.failed("hooks.test answered HTTP 503");
        };
    Rollout r = rollout();
    PlanSpec plan =
        withHooks(
            plan(new Step.SetWeight(10), new Step.SetWeight(50)),
            gate(
                "smoke",
                Hook.Point.BEFORE_WEIGHT_INCREASE,
                Duration.ofMinutes(30),
                2,
                Hook.OnFailure.PAUSE));
    List<EventDraft> events = run(r, plan, T0.plus(Duration.ofHours(1)));
    assertThat(r.phase()).isEqualTo(Phase.PAUSED);
    assertThat(router.set).isEmpty();
    assertThat(askedAt).hasSize(3); // the first call and 2 retries
    assertThat(Duration.between(askedAt.get(0), askedAt.get(1)))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(reasons(events, EventType.HOOK))
        .contains("hook smoke failed: hooks.test answered HTTP 503 (3 failed calls in a row)");

    healthy[0] = true;
    Instant resumedAt = now.plus(Duration.ofMinutes(5));
    r.resume("alice", false, resumedAt);
    now = resumedAt;
    runToEnd(r, plan);
    assertThat(r.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(router.set).containsExactly(10, 50, 100);
  }

  @Test
  void aHookThatNeverSaysGoFailsAtItsTimeoutAndTheRolloutBeforeStartWaitsAtZero() {
    hookCalls = (hook, body, key) -> HookAnswer.waiting("queued", Duration.ofMinutes(1));
    Rollout r = rollout();
    List<EventDraft> events =
        runToEnd(
            r,
            withHooks(
                plan(new Step.SetWeight(10), new Step.SetWeight(100)),
                gate(
                    "capacity",
                    Hook.Point.BEFORE_ROLLOUT,
                    Duration.ofMinutes(20),
                    2,
                    Hook.OnFailure.ROLLBACK)));
    assertThat(r.phase()).isEqualTo(Phase.ROLLED_BACK);
    assertThat(r.rollbackCause()).isEqualTo(RollbackCause.HOOK_FAILED);
    assertThat(router.set).doesNotContain(10);
    assertThat(reasons(events, EventType.TRANSITION)).noneMatch(t -> t.equals("started"));
    EventDraft failed =
        events.stream()
            .filter(e -> e.type() == EventType.HOOK && e.reason().contains("failed"))
            .findFirst()
            .orElseThrow();
    assertThat(failed.reason()).isEqualTo("hook capacity failed: did not say go within 20m");
    assertThat(Duration.between(T0, failed.at()))
        .isBetween(Duration.ofMinutes(20), Duration.ofMinutes(21));
  }
}
