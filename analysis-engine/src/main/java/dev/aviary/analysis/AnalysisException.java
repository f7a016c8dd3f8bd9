package dev.aviary.analysis;

import dev.aviary.kernel.Retryability;
import org.jspecify.annotations.Nullable;

/**
 * Base of every failure the analysis engine reports. Each says whether trying again can help:
 * callers' retry policies key on {@link RetryableAnalysisException} and never retry a {@link
 * FatalAnalysisException}.
 */
public abstract sealed class AnalysisException extends RuntimeException implements Retryability
    permits RetryableAnalysisException, FatalAnalysisException {

  private static final long serialVersionUID = 1L;

  protected AnalysisException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** Whether the same call might succeed later. */
  @Override
  public abstract boolean retryable();
}
