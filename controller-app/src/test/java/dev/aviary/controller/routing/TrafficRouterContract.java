package dev.aviary.controller.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.aviary.kernel.SettingViolation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What every traffic router promises. Each adapter's test extends this and supplies a live router
 * (a real HAProxy, nginx, HTTP endpoint, or, for Kubernetes, fabric8's mock API server).
 */
public abstract class TrafficRouterContract {

  protected abstract TrafficRouterFactory factory();

  /** Settings for the live router under test. */
  protected abstract Map<String, Object> settings();

  /** False for routers that cannot report their weight (a webhook without a status URL). */
  protected boolean canVerify() {
    return true;
  }

  /** Who the router under test is driven for: a rollout of plan {@code contract}. */
  protected RouterTarget target() {
    return new RouterTarget("contract", "00000000-0000-0000-0000-000000000001");
  }

  protected TrafficRouter router() {
    return factory().create(target(), settings());
  }

  private void assertReads(TrafficRouter router, int expected) {
    OptionalInt current = router.currentCanaryWeight();
    if (canVerify()) {
      assertThat(current).hasValue(expected);
    } else {
      assertThat(current).isEmpty();
    }
  }

  @Test
  void setsEachWeightAndReadsItBack() {
    TrafficRouter router = router();
    for (int weight : List.of(0, 5, 20, 50, 99, 100)) {
      router.setCanaryWeight(weight);
      assertReads(router, weight);
    }
  }

  @Test
  void settingTheSameWeightAgainChangesNothing() {
    TrafficRouter router = router();
    router.setCanaryWeight(30);
    router.setCanaryWeight(30);
    assertReads(router, 30);
  }

  @Test
  void promotionLeavesAllTrafficOnTheCanary() {
    TrafficRouter router = router();
    router.setCanaryWeight(40);
    router.finish(true);
    assertReads(router, 100);
  }

  @Test
  void rollbackLeavesAllTrafficOnStable() {
    TrafficRouter router = router();
    router.setCanaryWeight(40);
    router.finish(false);
    assertReads(router, 0);
  }

  @Test
  void settingsAreValidatedWhenThePlanIsWrittenAndUnknownFieldsNamed() {
    assertThat(factory().validate(settings())).isEmpty();
    Map<String, Object> withTypo = new HashMap<>(settings());
    withTypo.put("wieght", 5);
    assertThat(factory().validate(withTypo))
        .extracting(SettingViolation::field)
        .containsExactly("wieght");
  }

  @Test
  void declaresAWeightedSplit() {
    assertThat(factory().capabilities()).contains(RouterCapability.WEIGHTED_SPLIT);
    assertThat(factory().type()).matches("[a-z][a-z-]*");
  }

  // ---- capabilities beyond a weighted split: run for every adapter that declares them ----

  /** Where real requests reach the router under test; null when there is no data plane here. */
  protected @Nullable String trafficUrl() {
    return null;
  }

  /** Makes a change and waits until the data plane serves it (nginx's new workers, say). */
  protected void applied(Runnable change) {
    change.run();
  }

  /** Settings with sticky sessions on, for routers that declare them. */
  protected Map<String, Object> stickySettings() {
    Map<String, Object> s = new HashMap<>(settings());
    s.put("sticky", true);
    return s;
  }

  private static final HeaderRoute TESTERS =
      new HeaderRoute("testers", HeaderRoute.On.HEADER, "X-Canary", "always", null);
  private static final HeaderRoute BETA =
      new HeaderRoute("beta", HeaderRoute.On.COOKIE, "beta", null, "1|yes");

  private void assumeCapability(RouterCapability c) {
    Assumptions.assumeTrue(
        factory().capabilities().contains(c), factory().type() + " does not declare " + c);
  }

  @Test
  void headerRoutesAreHeldReplacedAndRemovedByTheFinish() {
    assumeCapability(RouterCapability.HEADER_ROUTING);
    TrafficRouter router = router();
    Routes routes = Routes.NONE.with(TESTERS);
    assertThat(router.holds(routes)).isFalse();
    router.setRoutes(routes);
    router.setRoutes(routes); // again: nothing changes
    assertThat(router.holds(routes)).isTrue();
    assertThat(router.holds(Routes.NONE)).isFalse();
    Routes other =
        routes.with(new HeaderRoute("testers", HeaderRoute.On.HEADER, "X-Canary", "yes", null));
    assertThat(router.holds(other)).isFalse();
    router.setCanaryWeight(30);
    assertThat(router.holds(routes)).as("a weight change keeps the routes").isTrue();
    router.finish(false);
    assertThat(router.holds(Routes.NONE)).isTrue();
    assertReads(router, 0);
  }

  @Test
  void cookieRoutesAreHeldAndRemovedByThePromotion() {
    assumeCapability(RouterCapability.COOKIE_ROUTING);
    TrafficRouter router = router();
    Routes routes = Routes.NONE.with(BETA);
    router.setRoutes(routes);
    assertThat(router.holds(routes)).isTrue();
    router.finish(true);
    assertThat(router.holds(Routes.NONE)).isTrue();
    assertReads(router, 100);
    router.finish(false);
  }

  @Test
  void mirroringIsHeldAndStoppedByTheFinish() {
    assumeCapability(RouterCapability.MIRRORING);
    TrafficRouter router = router();
    Routes routes = Routes.NONE.mirroring(10);
    router.setRoutes(routes);
    assertThat(router.holds(routes)).isTrue();
    assertThat(router.holds(Routes.NONE.mirroring(20))).isFalse();
    router.finish(false);
    assertThat(router.holds(Routes.NONE)).isTrue();
  }

  @Test
  void onRealTrafficEveryRequestWithTheHeaderOrCookieReachesTheCanaryAndTheRestSplitByWeight() {
    assumeCapability(RouterCapability.HEADER_ROUTING);
    assumeCapability(RouterCapability.COOKIE_ROUTING);
    String url = trafficUrl();
    Assumptions.assumeTrue(url != null, "no data plane for " + factory().type());
    TrafficRouter router = router();
    try {
      applied(() -> router.setRoutes(Routes.NONE.with(TESTERS).with(BETA)));
      applied(() -> router.setCanaryWeight(20));
      assertThat(TrafficProbe.send(url, 500, Map.of("X-Canary", "always")))
          .containsOnlyKeys("canary");
      assertThat(TrafficProbe.send(url, 250, Map.of("Cookie", "theme=dark; beta=yes")))
          .containsOnlyKeys("canary");
      assertThat(TrafficProbe.send(url, 250, Map.of("Cookie", "beta=1")))
          .containsOnlyKeys("canary");
      Map<String, Integer> others =
          TrafficProbe.send(url, 2000, Map.of("X-Canary", "never", "Cookie", "beta=12"));
      assertThat(others.keySet()).containsOnly("stable", "canary");
      assertThat(100.0 * others.getOrDefault("canary", 0) / 2000).isCloseTo(20.0, within(4.0));
      applied(() -> router.setCanaryWeight(0));
      assertThat(TrafficProbe.send(url, 200, Map.of("x-canary", "always")))
          .as("a route holds at 0 %: testers first")
          .containsOnlyKeys("canary");
      assertThat(TrafficProbe.send(url, 200)).containsOnlyKeys("stable");
      applied(() -> router.finish(false));
      assertThat(TrafficProbe.send(url, 200, Map.of("X-Canary", "always")))
          .as("the rollback removed the route")
          .containsOnlyKeys("stable");
    } finally {
      router.finish(false);
    }
  }

  @Test
  void onRealTrafficAStickyCallerSeesOneVersionWhileItHasAShare() {
    assumeCapability(RouterCapability.STICKY_SESSIONS);
    String url = trafficUrl();
    Assumptions.assumeTrue(url != null, "no data plane for " + factory().type());
    TrafficRouter router =
        factory()
            .create(
                new RouterTarget("contract", "00000000-0000-0000-0000-000000000002"),
                stickySettings());
    try {
      applied(() -> router.setCanaryWeight(50));
      Map<String, TrafficProbe.Caller> byVersion = new HashMap<>();
      for (int i = 0; i < 40 && byVersion.size() < 2; i++) {
        TrafficProbe.Caller caller = new TrafficProbe.Caller();
        caller.send(url, 1).keySet().forEach(v -> byVersion.putIfAbsent(v, caller));
      }
      assertThat(byVersion)
          .as("at 50 %% new callers meet both versions")
          .containsOnlyKeys("stable", "canary");
      byVersion.forEach(
          (version, caller) ->
              assertThat(caller.send(url, 200))
                  .as("a caller first answered by " + version)
                  .containsOnlyKeys(version));
      applied(() -> router.finish(false));
      assertThat(byVersion.get("canary").send(url, 50))
          .as("after the rollback no cookie holds a caller on the canary")
          .containsOnlyKeys("stable");
    } finally {
      router.finish(false);
    }
  }
}
