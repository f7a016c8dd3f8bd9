package dev.aviary.kernel;

/** The one rule for which HTTP answers are worth another try, shared by every outbound client. */
public final class HttpStatuses {

  private HttpStatuses() {}

  /**
   * 408 (request timeout), 425 (too early), 429 (too many requests) and every 5xx: the same request
   * may succeed later. Everything else repeats until the request or the settings change.
   */
  public static boolean retryable(int status) {
    return status == 408 || status == 425 || status == 429 || status >= 500;
  }
}
