package dev.aviary.controller.routing.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.routing.RouterException;
import dev.aviary.controller.routing.RouterTarget;
import dev.aviary.controller.routing.Routes;
import dev.aviary.controller.routing.TrafficProbe;
import dev.aviary.controller.routing.TrafficRouter;
import dev.aviary.controller.routing.TrafficRouterContract;
import dev.aviary.controller.routing.TrafficRouterFactory;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.testing.ManagedProcess;
import dev.aviary.testing.NginxServer;
import dev.aviary.testing.TextHttpServer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real nginx (nginx-light) in front of two real backends that answer with their identity. */
class NginxRouterIT extends TrafficRouterContract {

  static TextHttpServer stable;
  static TextHttpServer canary;
  static NginxServer nginx;

  @BeforeAll
  static void start() throws Exception {
    stable = new TextHttpServer().answer("/", TextHttpServer.Reply.ok("text/plain", "stable"));
    canary = new TextHttpServer().answer("/", TextHttpServer.Reply.ok("text/plain", "canary"));
    nginx = NginxServer.start(Files.createTempDirectory("aviary-nginx-it"), List.of(stable.port()));
  }

  @AfterAll
  static void stop() {
    nginx.close();
    stable.close();
    canary.close();
  }

  @Override
  protected TrafficRouterFactory factory() {
    return new NginxRouterFactory();
  }

  @Override
  protected Map<String, Object> settings() {
    Map<String, Object> s = new HashMap<>();
    s.put("upstream", "app");
    s.put("includeFile", nginx.includeFile().toString());
    s.put("stable", "127.0.0.1:" + stable.port());
    s.put("canary", List.of("127.0.0.1:" + canary.port()));
    s.put("mainConfig", nginx.mainConfig().toString());
    s.put("pidFile", nginx.pidFile().toString());
    s.put("binary", ManagedProcess.binary("nginx", "nginx-light"));
    s.put("mirrorInclude", nginx.mirrorInclude().toString());
    return s;
  }

  @Override
  protected String trafficUrl() {
    return nginx.url();
  }

  @Override
  protected void applied(Runnable change) {
    Set<Long> before = nginx.workers();
    String was = read(nginx.includeFile()) + read(nginx.mirrorInclude());
    change.run();
    if (!was.equals(read(nginx.includeFile()) + read(nginx.mirrorInclude()))) {
      nginx.awaitNewWorkers(before); // reloaded: wait for the workers that read the new files
    }
  }

  private static String read(java.nio.file.Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void mirroredRequestsReachTheCanaryWhileCallersOnlySeeStable() {
    TrafficRouter router = router();
    try {
      applied(() -> router.setCanaryWeight(0));
      applied(() -> router.setRoutes(Routes.NONE.mirroring(25)));
      int before = canary.requests().size();
      assertThat(TrafficProbe.send(nginx.url(), 2000)).containsOnlyKeys("stable");
      // nginx finishes a request's mirror copy before it ends the request: all 2,000 are counted
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(100.0 * (canary.requests().size() - before) / 2000)
                      .isCloseTo(25.0, within(4.0)));
      assertThat(canary.requests().get(canary.requests().size() - 1).path()).isEqualTo("/");
      applied(() -> router.finish(false));
      int after = canary.requests().size();
      assertThat(TrafficProbe.send(nginx.url(), 200)).containsOnlyKeys("stable");
      assertThat(canary.requests().size()).as("no copies after the finish").isEqualTo(after);
    } finally {
      router.finish(false);
    }
  }

  /** Sets a weight and waits until only workers started with the new configuration serve. */
  private void setAndAwaitReload(TrafficRouter router, int weight) {
    Set<Long> before = nginx.workers();
    router.setCanaryWeight(weight);
    nginx.awaitNewWorkers(before);
  }

  @Test
  void realTrafficFollowsTheWeight() throws Exception {
    TrafficRouter router = router();
    setAndAwaitReload(router, 20);
    assertThat(Files.readString(nginx.includeFile()))
        .contains("weight=80;  # stable")
        .contains("weight=20;  # canary");
    assertThat(TrafficProbe.canaryShare(nginx.url(), 2000)).isCloseTo(20.0, within(4.0));
    setAndAwaitReload(router, 0);
    assertThat(TrafficProbe.send(nginx.url(), 200)).containsOnlyKeys("stable");
    setAndAwaitReload(router, 100);
    assertThat(TrafficProbe.send(nginx.url(), 200)).containsOnlyKeys("canary");
  }

  @Test
  void aConfigurationNginxRejectsIsReportedAndTheOldOneKeepsServing() throws Exception {
    TrafficRouter router = router();
    setAndAwaitReload(router, 0);
    String before = Files.readString(nginx.includeFile());
    Map<String, Object> broken = new HashMap<>(settings());
    broken.put("canary", List.of("no-such-host.invalid:80"));
    TrafficRouter bad = factory().create(new RouterTarget("contract", null), broken);
    assertThatThrownBy(() -> bad.setCanaryWeight(20))
        .isInstanceOf(RouterException.class)
        .satisfies(e -> assertThat(((RouterException) e).retryable()).isFalse())
        .hasMessageContaining("nginx rejected the configuration")
        .hasMessageContaining("no-such-host.invalid");
    assertThat(Files.readString(nginx.includeFile())).isEqualTo(before);
    assertThat(TrafficProbe.send(nginx.url(), 100)).containsOnlyKeys("stable");
  }

  @Test
  void aHandEditedFileIsSeenAsDrift() throws Exception {
    TrafficRouter router = router();
    setAndAwaitReload(router, 20);
    Files.writeString(
        nginx.includeFile(),
        Files.readString(nginx.includeFile()).replace("weight=80", "weight=20"));
    assertThat(router.currentCanaryWeight()).hasValue(50);
  }

  @Test
  void settingsNameEveryProblem() {
    assertThat(
            factory()
                .validate(
                    Map.of(
                        "upstream",
                        "my upstream",
                        "includeFile",
                        "relative.conf",
                        "stable",
                        "10.0.0.1:80",
                        "canary",
                        "10.0.0.1:80")))
        .extracting(SettingViolation::field)
        .containsExactlyInAnyOrder("upstream", "includeFile", "canary");
  }
}
