package dev.aviary.controller.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A destination that hangs holds one caller for a bounded wait, then one place at a time, while
 * callers of other destinations are served as if nothing happened. Calls that hang are held on a
 * latch the test opens, not timed: the waits below are the lanes' own, and nothing asserts how long
 * anything took.
 */
class LanesTest {

  private final CountDownLatch release = new CountDownLatch(1);
  private Lanes lanes = lanes(Duration.ofSeconds(5), 8);

  private static Lanes lanes(Duration slowCall, int maxConcurrent) {
    return new Lanes(
        new Lanes.Settings(
            Duration.ofMillis(200),
            slowCall,
            Duration.ofMillis(50),
            Duration.ofMinutes(10),
            maxConcurrent,
            8));
  }

  @AfterEach
  void stop() {
    release.countDown();
    lanes.close();
  }

  private String hang() {
    try {
      release.await(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "late";
  }

  @Test
  void aHangingDestinationHoldsItsFirstCallerForTheWaitThenTurnsTheOthersAwayAtOnce() {
    lanes = lanes(Duration.ofMillis(100), 8);
    assertThatThrownBy(() -> lanes.run("webhook hung:80", this::hang))
        .isInstanceOf(RemoteCalls.TooSlow.class)
        .hasMessageContaining("webhook hung:80 did not answer within");
    AtomicInteger sent = new AtomicInteger();
    assertThatThrownBy(
            () ->
                lanes.run(
                    "webhook hung:80",
                    () -> {
                      sent.incrementAndGet();
                      return "x";
                    }))
        .isInstanceOf(RemoteCalls.NotTried.class)
        .hasMessageContaining("one call at a time");
    assertThat(sent).hasValue(0);
    assertThat(lanes.inFlight("webhook hung:80")).isEqualTo(1);
    // other destinations are served while it hangs
    assertThat(lanes.run("prometheus up:9090", () -> "42")).isEqualTo("42");
  }

  @Test
  void aSlowDestinationThatAnswersQuicklyAgainGetsItsFullShareBack() throws Exception {
    lanes = lanes(Duration.ofMillis(100), 2);
    assertThatThrownBy(() -> lanes.run("haproxy lb:9999", this::hang))
        .isInstanceOf(RemoteCalls.TooSlow.class);
    release.countDown(); // the hung call ends, slowly: the destination stays suspect
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> lanes.inFlight("haproxy lb:9999") == 0);
    assertThat(lanes.run("haproxy lb:9999", () -> "quick")).isEqualTo("quick");
    // suspicion cleared: two calls at once are let through again, the third is over the limit
    CountDownLatch hold = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(2);
    Lanes l = lanes;
    CompletableFuture<?> a = held(l, hold, entered);
    CompletableFuture<?> b = held(l, hold, entered);
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> l.run("haproxy lb:9999", () -> "third"))
        .isInstanceOf(RemoteCalls.NotTried.class);
    hold.countDown();
    a.get(30, TimeUnit.SECONDS);
    b.get(30, TimeUnit.SECONDS);
  }

  private static CompletableFuture<?> held(Lanes l, CountDownLatch hold, CountDownLatch entered) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            l.run(
                "haproxy lb:9999",
                () -> {
                  entered.countDown();
                  try {
                    hold.await(1, TimeUnit.MINUTES);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return "held";
                });
          } catch (RemoteCalls.TooSlow e) {
            // the caller stops waiting after 0.2 s; the call itself still holds its place
          }
        });
  }

  @Test
  void whenADestinationBeginsToHangOnlyItsOldestCallKeepsACallerWaiting() throws Exception {
    lanes =
        new Lanes(
            new Lanes.Settings(
                Duration.ofMinutes(1),
                Duration.ofMillis(100),
                Duration.ofMillis(50),
                Duration.ofMinutes(10),
                8,
                8));
    CountDownLatch entered = new CountDownLatch(1);
    Lanes l = lanes;
    CompletableFuture<String> first =
        CompletableFuture.supplyAsync(
            () ->
                l.run(
                    "webhook hung:80",
                    () -> {
                      entered.countDown();
                      return hang();
                    }));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    // the second caller is let go once the destination proves slow (or refused, if it already
    // had), not held for the minute the first one may wait
    assertThatThrownBy(() -> l.run("webhook hung:80", this::hang))
        .isInstanceOfAny(RemoteCalls.TooSlow.class, RemoteCalls.NotTried.class);
    release.countDown();
    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("late");
  }

  @Test
  void anOpenBreakerInFrontOfASuspectDestinationDoesNotClearItsSuspicionButAQuickAnswerDoes() {
    lanes = lanes(Duration.ofMillis(100), 8);
    assertThatThrownBy(() -> lanes.run("webhook hung:80", this::hang))
        .isInstanceOf(RemoteCalls.TooSlow.class);
    release.countDown();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> lanes.inFlight("webhook hung:80") == 0);
    assertThat(lanes.suspect("webhook hung:80")).isTrue();
    io.github.resilience4j.circuitbreaker.CircuitBreaker breaker =
        io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("router-webhook-p");
    assertThatThrownBy(
            () ->
                lanes.run(
                    "webhook hung:80",
                    () -> {
                      throw io.github.resilience4j.circuitbreaker.CallNotPermittedException
                          .createCallNotPermittedException(breaker);
                    }))
        .isInstanceOf(io.github.resilience4j.circuitbreaker.CallNotPermittedException.class);
    assertThat(lanes.suspect("webhook hung:80")).isTrue();
    assertThat(lanes.run("webhook hung:80", () -> "quick")).isEqualTo("quick");
    assertThat(lanes.suspect("webhook hung:80")).isFalse();
  }

  @Test
  void aDestinationAtItsLimitTurnsTheNextCallerAway() throws Exception {
    lanes = lanes(Duration.ofHours(1), 2);
    CountDownLatch hold = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(2);
    CompletableFuture<?> a = held(lanes, hold, entered);
    CompletableFuture<?> b = held(lanes, hold, entered);
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> lanes.run("haproxy lb:9999", () -> "third"))
        .isInstanceOf(RemoteCalls.NotTried.class)
        .hasMessageContaining("has 2 calls under way, its limit");
    hold.countDown();
    a.get(30, TimeUnit.SECONDS);
    b.get(30, TimeUnit.SECONDS);
  }

  @Test
  void aSpentBudgetSendsNothingAndAnInProcessCallRunsOnTheCallersThread() {
    AtomicInteger sent = new AtomicInteger();
    assertThatThrownBy(
            () ->
                Lanes.withinBudget(
                    Duration.ZERO,
                    () ->
                        lanes.run(
                            "prometheus up:9090",
                            () -> {
                              sent.incrementAndGet();
                              return "x";
                            })))
        .isInstanceOf(RemoteCalls.NotTried.class)
        .hasMessageContaining("time budget is spent");
    assertThat(sent).hasValue(0);
    Thread caller = Thread.currentThread();
    assertThat(lanes.run(null, () -> Thread.currentThread() == caller)).isTrue();
    assertThat(lanes.run("prometheus up:9090", () -> Thread.currentThread() == caller)).isFalse();
  }

  @Test
  void aCallThatTimedOutIsReportedAsTheFailedAttemptEvenWhenItsRetryFindsTheLaneClosed() {
    lanes = lanes(Duration.ofMillis(100), 8);
    RemoteCalls remote =
        new RemoteCalls(
            RetryRegistry.of(
                RetryConfig.custom()
                    .maxAttempts(3)
                    .waitDuration(Duration.ofMillis(1))
                    .retryOnException(new RetryableFailure())
                    .build()),
            CircuitBreakerRegistry.of(CircuitBreakerConfig.ofDefaults()),
            lanes,
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    AtomicInteger sent = new AtomicInteger();
    assertThatThrownBy(
            () ->
                remote.call(
                    "router-webhook-p",
                    "webhook hung:80",
                    () -> {
                      sent.incrementAndGet();
                      return hang();
                    }))
        .isInstanceOf(RemoteCalls.TooSlow.class);
    assertThat(sent).hasValue(1); // the retry found the destination suspect and busy: not sent
    assertThatThrownBy(() -> remote.call("router-webhook-q", "webhook hung:80", () -> "x"))
        .isInstanceOf(RemoteCalls.NotTried.class);
  }
}
