package dev.aviary.analysis;

import org.jspecify.annotations.Nullable;

/** A passing failure: connection refused, timeout, HTTP 5xx or 429. Trying again may help. */
public final class RetryableAnalysisException extends AnalysisException {

  private static final long serialVersionUID = 1L;

  public RetryableAnalysisException(String message) {
    super(message, null);
  }

  public RetryableAnalysisException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
