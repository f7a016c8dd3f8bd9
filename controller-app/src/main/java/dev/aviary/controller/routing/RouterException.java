package dev.aviary.controller.routing;

import dev.aviary.kernel.Retryability;
import org.jspecify.annotations.Nullable;

/**
 * A router call failed. {@link #retryable()} says whether the same call may succeed later
 * (connection refused, timeout, 5xx) or will fail until someone changes something (unknown backend,
 * rejected configuration). Resilience4j retries only the retryable ones.
 */
public class RouterException extends RuntimeException implements Retryability {

  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  public RouterException(String message, boolean retryable, @Nullable Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public static RouterException retryable(String message, @Nullable Throwable cause) {
    return new RouterException(message, true, cause);
  }

  public static RouterException fatal(String message) {
    return new RouterException(message, false, null);
  }

  @Override
  public boolean retryable() {
    return retryable;
  }
}
