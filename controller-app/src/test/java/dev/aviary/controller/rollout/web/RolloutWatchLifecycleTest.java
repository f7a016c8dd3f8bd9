package dev.aviary.controller.rollout.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The watch stops before the web server's graceful shutdown and starts again when a context is
 * resumed (the test framework pauses cached contexts between test classes, as a restart would).
 */
class RolloutWatchLifecycleTest {

  @Test
  void itStopsAndStartsAgain() {
    RolloutWatch watch = new RolloutWatch(null);
    assertThat(watch.isRunning()).isFalse();
    watch.start();
    assertThat(watch.isRunning()).isTrue();
    watch.stop();
    assertThat(watch.isRunning()).isFalse();
    watch.start();
    assertThat(watch.isRunning()).isTrue();
    watch.stop();
  }

  @Test
  void itStopsBeforeTheWebServersGracefulShutdown() {
    // a higher phase stops earlier
    assertThat(new RolloutWatch(null).getPhase())
        .isGreaterThan(
            org.springframework.boot.web.server.context.WebServerApplicationContext
                .GRACEFUL_SHUTDOWN_PHASE);
  }
}
