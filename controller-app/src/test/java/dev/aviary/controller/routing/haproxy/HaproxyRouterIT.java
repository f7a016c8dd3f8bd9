package dev.aviary.controller.routing.haproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.aviary.controller.routing.HeaderRoute;
import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.controller.routing.RouterException;
import dev.aviary.controller.routing.RouterTarget;
import dev.aviary.controller.routing.Routes;
import dev.aviary.controller.routing.TrafficProbe;
import dev.aviary.controller.routing.TrafficRouter;
import dev.aviary.controller.routing.TrafficRouterContract;
import dev.aviary.controller.routing.TrafficRouterFactory;
import dev.aviary.kernel.OutboundPolicy;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.testing.FreePorts;
import dev.aviary.testing.HaproxyServer;
import dev.aviary.testing.TextHttpServer;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real HAProxy in front of two real backends that answer with their identity. */
class HaproxyRouterIT extends TrafficRouterContract {

  static TextHttpServer stable;
  static TextHttpServer canary;
  static TextHttpServer canary2;
  static HaproxyServer haproxy;

  @BeforeAll
  static void start() throws Exception {
    stable = new TextHttpServer().answer("/", TextHttpServer.Reply.ok("text/plain", "stable"));
    canary = new TextHttpServer().answer("/", TextHttpServer.Reply.ok("text/plain", "canary"));
    canary2 = new TextHttpServer().answer("/", TextHttpServer.Reply.ok("text/plain", "canary"));
    haproxy =
        HaproxyServer.start(
            Files.createTempDirectory("aviary-haproxy-it"),
            List.of(stable.port()),
            List.of(canary.port(), canary2.port()));
  }

  @AfterAll
  static void stop() {
    haproxy.close();
    stable.close();
    canary.close();
    canary2.close();
  }

  @Override
  protected TrafficRouterFactory factory() {
    return new HaproxyRouterFactory(OutboundPolicy.ANY);
  }

  @Override
  protected Map<String, Object> settings() {
    return Map.of(
        "address",
        haproxy.apiAddress(),
        "backend",
        "app",
        "stable",
        "stable1",
        "canary",
        List.of("canary1", "canary2"),
        "routeMap",
        haproxy.routeMap().toString());
  }

  @Override
  protected String trafficUrl() {
    return haproxy.url();
  }

  /**
   * A sticky router leaves a group with no share in maintenance; a router without stickiness does
   * not touch server states (docs/routers.md: turning stickiness off means readying them by hand),
   * so each test starts with every server ready.
   */
  @AfterEach
  void everyServerReady() {
    HaproxyRuntimeApi api =
        new HaproxyRuntimeApi(
            java.util.Objects.requireNonNull(HaproxySettings.parse(settings()).value()),
            OutboundPolicy.ANY);
    for (String server : List.of("stable1", "canary1", "canary2")) {
      assertThat(api.execute("set server app/" + server + " state ready").strip()).isEmpty();
    }
  }

  @Test
  void aRestartLosesTheRuntimeRoutesWhichTheRouterThenSeesAsDrift() {
    TrafficRouter router = router();
    Routes routes =
        Routes.NONE.with(new HeaderRoute("qa", HeaderRoute.On.HEADER, "X-Team", "qa", null));
    router.setRoutes(routes);
    assertThat(router.holds(routes)).isTrue();
    haproxy.restart();
    assertThat(router.holds(routes)).isFalse();
    router.setRoutes(routes);
    assertThat(TrafficProbe.send(haproxy.url(), 100, Map.of("X-Team", "qa")))
        .containsOnlyKeys("canary");
    router.finish(false);
  }

  @Test
  void withoutARouteMapTheRouterRefusesRoutesAndPlansAreToldWhy() {
    Map<String, Object> plain = new java.util.HashMap<>(settings());
    plain.remove("routeMap");
    assertThat(factory().missingSetting(RouterCapability.HEADER_ROUTING, plain))
        .hasValueSatisfying(why -> assertThat(why).contains("routeMap"));
    assertThat(factory().missingSetting(RouterCapability.COOKIE_ROUTING, settings())).isEmpty();
    TrafficRouter router = factory().create(new RouterTarget("p", null), plain);
    assertThat(router.holds(Routes.NONE)).isTrue();
    assertThatThrownBy(
            () ->
                router.setRoutes(
                    Routes.NONE.with(
                        new HeaderRoute("qa", HeaderRoute.On.HEADER, "X-Team", "qa", null))))
        .isInstanceOf(RouterException.class)
        .hasMessageContaining("routeMap");
  }

  @Test
  void realTrafficFollowsTheWeight() {
    TrafficRouter router = router();
    router.setCanaryWeight(20);
    assertThat(TrafficProbe.canaryShare(haproxy.url(), 2000)).isCloseTo(20.0, within(4.0));
    router.setCanaryWeight(0);
    assertThat(TrafficProbe.send(haproxy.url(), 200)).containsOnlyKeys("stable");
    router.setCanaryWeight(100);
    assertThat(TrafficProbe.send(haproxy.url(), 200)).containsOnlyKeys("canary");
  }

  @Test
  void aRestartLosesRuntimeWeightsWhichTheRouterThenSeesAsDrift() {
    TrafficRouter router = router();
    router.setCanaryWeight(20);
    haproxy.restart();
    assertThat(router.currentCanaryWeight()).hasValue(0);
    assertThat(TrafficProbe.send(haproxy.url(), 100)).containsOnlyKeys("stable");
    router.setCanaryWeight(20);
    assertThat(router.currentCanaryWeight()).hasValue(20);
    assertThat(TrafficProbe.canaryShare(haproxy.url(), 2000)).isCloseTo(20.0, within(4.0));
  }

  @Test
  void anUnknownServerIsAFatalErrorAndAnUnreachableApiARetryableOne() {
    TrafficRouter wrong =
        factory()
            .create(
                new RouterTarget("p", null),
                Map.of(
                    "address",
                    haproxy.apiAddress(),
                    "backend",
                    "app",
                    "stable",
                    "stable1",
                    "canary",
                    "nope"));
    assertThatThrownBy(() -> wrong.setCanaryWeight(10))
        .isInstanceOf(RouterException.class)
        .satisfies(e -> assertThat(((RouterException) e).retryable()).isFalse())
        .hasMessageContaining("app/nope");
    TrafficRouter down =
        factory()
            .create(
                new RouterTarget("p", null),
                Map.of(
                    "address",
                    "127.0.0.1:" + FreePorts.next(),
                    "backend",
                    "app",
                    "stable",
                    "stable1",
                    "canary",
                    "canary1"));
    assertThatThrownBy(() -> down.setCanaryWeight(10))
        .isInstanceOf(RouterException.class)
        .satisfies(e -> assertThat(((RouterException) e).retryable()).isTrue());
  }

  @Test
  void theRuntimeApiAlsoWorksOverAUnixSocket() throws Exception {
    try (HaproxyServer local =
        HaproxyServer.startWithUnixSocket(
            Files.createTempDirectory("aviary-haproxy-unix"),
            List.of(stable.port()),
            List.of(canary.port()))) {
      TrafficRouter router =
          factory()
              .create(
                  new RouterTarget("p", null),
                  Map.of(
                      "address",
                      local.apiAddress(),
                      "backend",
                      "app",
                      "stable",
                      "stable1",
                      "canary",
                      "canary1"));
      assertThat(local.apiAddress()).startsWith("/").endsWith("admin.sock");
      router.setCanaryWeight(30);
      assertThat(router.currentCanaryWeight()).hasValue(30);
      assertThat(TrafficProbe.canaryShare(local.url(), 1000)).isCloseTo(30.0, within(5.0));
    }
  }

  @Test
  void settingsNameEveryProblem() {
    assertThat(
            factory()
                .validate(
                    Map.of("address", "haproxy", "stable", List.of(), "canary", List.of("a", 1))))
        .extracting(SettingViolation::field)
        .containsExactlyInAnyOrder("address", "backend", "stable", "canary");
  }
}
