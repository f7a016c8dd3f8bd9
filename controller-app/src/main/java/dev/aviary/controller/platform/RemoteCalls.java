package dev.aviary.controller.platform;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Every call to a system outside Aviary (metrics backends, routers, webhooks) goes through here: a
 * retry with exponential backoff for retryable failures only, inside it a circuit breaker per
 * backend, both configured in application.yml and visible in {@code /actuator/prometheus} ({@code
 * resilience4j_retry_calls}, {@code resilience4j_circuitbreaker_state}). The call itself carries
 * its own timeout (each client sets one).
 */
@Component
public class RemoteCalls {

  private final RetryRegistry retries;
  private final CircuitBreakerRegistry breakers;

  public RemoteCalls(RetryRegistry retries, CircuitBreakerRegistry breakers) {
    this.retries = retries;
    this.breakers = breakers;
  }

  /**
   * Runs {@code call} for the backend named {@code backend} (one breaker per name). When the
   * breaker is open the call is not made and {@link
   * io.github.resilience4j.circuitbreaker.CallNotPermittedException} is thrown at once.
   */
  public <T> T call(String backend, Supplier<T> call) {
    CircuitBreaker breaker = breakers.circuitBreaker(backend);
    Retry retry = retries.retry(backend);
    // The breaker may open between the retries of one call: then the caller learns of the failure
    // that was actually met, not of the refusal after it. CallNotPermittedException means that
    // nothing at all was tried (callers wait on it, and do not count it as a failed attempt).
    RuntimeException[] met = new RuntimeException[1];
    Supplier<T> tracked =
        () -> {
          try {
            return call.get();
          } catch (RuntimeException e) {
            met[0] = e;
            throw e;
          }
        };
    try {
      return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, tracked)).get();
    } catch (CallNotPermittedException e) {
      if (met[0] != null) {
        throw met[0];
      }
      throw e;
    }
  }

  /** As {@link #call(String, Supplier)} for a call without a result. */
  public void run(String backend, Runnable call) {
    call(
        backend,
        () -> {
          call.run();
          return null;
        });
  }
}
