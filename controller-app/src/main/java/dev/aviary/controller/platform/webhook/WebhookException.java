package dev.aviary.controller.platform.webhook;

import dev.aviary.kernel.Retryability;
import org.jspecify.annotations.Nullable;

/** A webhook delivery failed; retryable for connection failures, timeouts, 5xx and 429. */
final class WebhookException extends RuntimeException implements Retryability {

  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  public WebhookException(String message, boolean retryable, @Nullable Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  @Override
  public boolean retryable() {
    return retryable;
  }
}
