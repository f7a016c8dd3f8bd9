package dev.aviary.controller.platform.webhook;

import dev.aviary.kernel.Retryability;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A webhook delivery failed; retryable for connection failures, timeouts, 5xx and 429, and then
 * perhaps with the receiver's {@code Retry-After}.
 */
public final class WebhookException extends RuntimeException implements Retryability {

  private static final long serialVersionUID = 1L;

  private final boolean retryable;
  private final @Nullable Duration retryAfter;

  public WebhookException(String message, boolean retryable, @Nullable Throwable cause) {
    this(message, retryable, null, cause);
  }

  public WebhookException(
      String message, boolean retryable, @Nullable Duration retryAfter, @Nullable Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /**
   * Whether to try again at once. Not when the receiver asked for time ({@code Retry-After}): that
   * is a later attempt's business, and no sign that it is unwell.
   */
  @Override
  public boolean retryable() {
    return retryable && retryAfter == null;
  }

  /** Whether the same request may succeed later (now or after {@link #retryAfter()}). */
  public boolean retryLater() {
    return retryable;
  }

  /** How long the receiver asked to be left alone (its {@code Retry-After}), if it said. */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }
}
