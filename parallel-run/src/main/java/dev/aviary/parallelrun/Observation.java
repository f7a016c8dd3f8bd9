package dev.aviary.parallelrun;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What one behaviour did.
 *
 * @param value what it returned (null when it threw)
 * @param exception what it threw, or null
 * @param duration how long it took on the monotonic clock
 */
public record Observation<T>(@Nullable T value, @Nullable Throwable exception, Duration duration) {

  public boolean threw() {
    return exception != null;
  }
}
