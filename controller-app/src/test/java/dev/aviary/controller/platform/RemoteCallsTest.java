package dev.aviary.controller.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.kernel.Retryability;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A call whose breaker opens between its retries reports the failure it met — a failed attempt,
 * which callers count — and only a call that tried nothing reports the open breaker, which callers
 * wait on. Otherwise a dead router would never be counted as failing and never rolled back.
 */
class RemoteCallsTest {

  /** A retryable failure, as a router or metric backend that refuses connections raises. */
  static final class Unreachable extends RuntimeException implements Retryability {
    private static final long serialVersionUID = 1L;

    Unreachable() {
      super("connection refused");
    }

    @Override
    public boolean retryable() {
      return true;
    }
  }

  private final RemoteCalls remote =
      new RemoteCalls(
          RetryRegistry.of(
              RetryConfig.custom()
                  .maxAttempts(3)
                  .waitDuration(Duration.ofMillis(1))
                  .retryOnException(new RetryableFailure())
                  .build()),
          CircuitBreakerRegistry.of(
              CircuitBreakerConfig.custom()
                  .slidingWindowSize(2)
                  .minimumNumberOfCalls(2)
                  .failureRateThreshold(50)
                  .waitDurationInOpenState(Duration.ofHours(1))
                  .recordException(new RetryableFailure())
                  .build()));

  @Test
  void aBreakerOpeningBetweenRetriesReportsTheFailureMetAndAClosedDoorOnlyWhenNothingWasTried() {
    AtomicInteger calls = new AtomicInteger();
    Runnable down =
        () -> {
          calls.incrementAndGet();
          throw new Unreachable();
        };
    assertThatThrownBy(() -> remote.run("router-webhook-a", down)).isInstanceOf(Unreachable.class);
    assertThat(calls).hasValue(2); // the third retry found the breaker open
    assertThatThrownBy(() -> remote.run("router-webhook-a", down))
        .isInstanceOf(RemoteCalls.NotTried.class)
        .hasCauseInstanceOf(CallNotPermittedException.class)
        .hasMessageContaining("circuit breaker for router-webhook-a is open");
    assertThat(calls).hasValue(2);
  }
}
