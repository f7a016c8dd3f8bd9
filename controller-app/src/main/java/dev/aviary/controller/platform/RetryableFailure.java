package dev.aviary.controller.platform;

import dev.aviary.kernel.Retryability;
import java.io.IOException;
import java.util.function.Predicate;

/**
 * The one rule of what is worth retrying and what opens a circuit breaker: failures that say they
 * are retryable (connection refused, timeouts, 5xx, 429), never those that will repeat until
 * someone changes something. Named in {@code resilience4j.*.configs.default} in application.yml.
 */
public class RetryableFailure implements Predicate<Throwable> {

  @Override
  public boolean test(Throwable t) {
    if (t instanceof Retryability r) {
      return r.retryable();
    }
    return t instanceof IOException;
  }
}
