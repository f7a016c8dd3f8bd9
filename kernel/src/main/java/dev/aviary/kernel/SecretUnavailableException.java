package dev.aviary.kernel;

/**
 * A secret reference cannot be opened: a variable that is not set, a file that cannot be read, a
 * sealed value without its key. Retrying does not help until someone changes the settings. The
 * message names the reference, never a value.
 */
public final class SecretUnavailableException extends RuntimeException implements Retryability {

  private static final long serialVersionUID = 1L;

  public SecretUnavailableException(String message) {
    super(message);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
