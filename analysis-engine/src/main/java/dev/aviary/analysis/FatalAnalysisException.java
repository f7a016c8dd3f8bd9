package dev.aviary.analysis;

import org.jspecify.annotations.Nullable;

/**
 * A failure that repeats on every try until someone changes something: a malformed query, a
 * rejected credential, an unknown template variable, several series where one was expected.
 */
public final class FatalAnalysisException extends AnalysisException {

  private static final long serialVersionUID = 1L;

  public FatalAnalysisException(String message) {
    super(message, null);
  }

  public FatalAnalysisException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
