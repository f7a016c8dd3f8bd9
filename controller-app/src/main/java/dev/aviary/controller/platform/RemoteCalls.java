package dev.aviary.controller.platform;

import dev.aviary.kernel.Retryability;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Every call to a system outside Aviary (metrics backends, routers, webhooks) goes through here: a
 * retry with exponential backoff for retryable failures only; per attempt a lane of its destination
 * ({@link Lanes}: its own thread, a bounded wait, one call at a time to a destination that hangs);
 * inside it a circuit breaker per backend. Retries and breakers are configured in application.yml
 * and visible in {@code /actuator/prometheus} ({@code resilience4j_retry_calls}, {@code
 * resilience4j_circuitbreaker_state}); the lanes in {@code aviary.remote.*}. The call itself
 * carries its own timeout (each client sets one).
 */
@Component
public class RemoteCalls implements AutoCloseable {

  /**
   * Nothing was sent: the backend's breaker is open, its destination is busy or slow, or the tick's
   * time budget is spent. Callers wait and try again later; it is not a failed attempt.
   */
  public static final class NotTried extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotTried(String message) {
      super(message);
    }

    NotTried(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The call was sent but did not answer in the time the caller could wait; it goes on in the
   * background. A failed attempt, as a timeout is.
   */
  public static final class TooSlow extends RuntimeException implements Retryability {
    private static final long serialVersionUID = 1L;

    TooSlow(String message) {
      super(message);
    }

    @Override
    public boolean retryable() {
      return true;
    }
  }

  private final RetryRegistry retries;
  private final CircuitBreakerRegistry breakers;
  private final Lanes lanes;
  private final MeterRegistry meters;

  /** With the lanes' default settings. */
  public RemoteCalls(RetryRegistry retries, CircuitBreakerRegistry breakers) {
    this(retries, breakers, new Lanes(Lanes.Settings.DEFAULTS), new SimpleMeterRegistry());
  }

  @Autowired
  RemoteCalls(
      RetryRegistry retries,
      CircuitBreakerRegistry breakers,
      @Value("${aviary.remote.call-wait:15s}") Duration callWait,
      @Value("${aviary.remote.slow-call:5s}") Duration slowCall,
      @Value("${aviary.remote.suspect-wait:1s}") Duration suspectWait,
      @Value("${aviary.remote.suspect-for:60s}") Duration suspectFor,
      @Value("${aviary.remote.max-concurrent-per-destination:8}") int maxConcurrent,
      @Value("${aviary.remote.threads:64}") int threads,
      MeterRegistry meters) {
    this(
        retries,
        breakers,
        new Lanes(
            new Lanes.Settings(
                callWait, slowCall, suspectWait, suspectFor, maxConcurrent, threads)),
        meters);
  }

  RemoteCalls(
      RetryRegistry retries, CircuitBreakerRegistry breakers, Lanes lanes, MeterRegistry meters) {
    this.retries = retries;
    this.breakers = breakers;
    this.lanes = lanes;
    this.meters = meters;
  }

  /**
   * Runs {@code work} with a time budget shared by every remote call it makes on this thread (a
   * rollout's tick): once spent, further calls are {@link NotTried}.
   */
  public static <T> T withinBudget(Duration budget, Supplier<T> work) {
    return Lanes.withinBudget(budget, work);
  }

  /** The last failure met per backend, so that an open breaker can say what it guards against. */
  private final java.util.Map<String, String> lastFailure =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Runs {@code call} for the backend named {@code backend} (one breaker per name), in the lane of
   * {@code destination} (its host and port; null for a call that stays in this process).
   *
   * @throws NotTried when nothing was sent: the breaker is open, the destination busy, the budget
   *     spent — unless an earlier attempt of this call failed, which is then what is thrown
   * @throws TooSlow when the destination did not answer in time
   */
  public <T> T call(String backend, @Nullable String destination, Supplier<T> call) {
    CircuitBreaker breaker = breakers.circuitBreaker(backend);
    Retry retry = retries.retry(backend);
    Supplier<T> guarded = CircuitBreaker.decorateSupplier(breaker, call);
    // The breaker may open, or the destination turn busy, between the retries of one call: then
    // the caller learns of the failure that was actually met, not of the refusal after it.
    // NotTried means that nothing at all was tried (callers wait on it, and do not count it as a
    // failed attempt).
    RuntimeException[] met = new RuntimeException[1];
    Supplier<T> tracked =
        () -> {
          try {
            return lanes.run(destination, guarded);
          } catch (NotTried e) {
            count("aviary.remote.calls.turned.away", destination);
            throw e;
          } catch (CallNotPermittedException e) {
            throw e;
          } catch (TooSlow e) {
            count("aviary.remote.calls.abandoned", destination);
            met[0] = e;
            throw e;
          } catch (RuntimeException e) {
            met[0] = e;
            lastFailure.put(backend, String.valueOf(e.getMessage()));
            throw e;
          }
        };
    try {
      return Retry.decorateSupplier(retry, tracked).get();
    } catch (CallNotPermittedException e) {
      if (met[0] != null) {
        throw met[0];
      }
      String last = lastFailure.get(backend);
      throw new NotTried(
          "the circuit breaker for "
              + backend
              + " is open after repeated failures"
              + (last == null ? "" : " (the last: " + last + ")")
              + "; not calling it until it recovers",
          e);
    } catch (NotTried e) {
      if (met[0] != null) {
        throw met[0];
      }
      throw e;
    }
  }

  private void count(String name, @Nullable String destination) {
    meters
        .counter(name, "destination", destination == null ? "in-process" : destination)
        .increment();
  }

  /** As {@link #call(String, String, Supplier)}, the destination named by the backend. */
  public <T> T call(String backend, Supplier<T> call) {
    return call(backend, backend, call);
  }

  /** As {@link #call(String, String, Supplier)} for a call without a result. */
  public void run(String backend, @Nullable String destination, Runnable call) {
    call(
        backend,
        destination,
        () -> {
          call.run();
          return null;
        });
  }

  /** As {@link #run(String, String, Runnable)}, the destination named by the backend. */
  public void run(String backend, Runnable call) {
    run(backend, backend, call);
  }

  @Override
  public void close() {
    lanes.close();
  }
}
