package dev.aviary.controller.routing.aws;

import dev.aviary.analysis.AnalysisException;
import dev.aviary.analysis.RetryableAnalysisException;
import dev.aviary.analysis.metrics.http.AwsAuth;
import dev.aviary.controller.routing.RouterException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/** AWS SDK calls of a router, their failures as router failures: retryable or fatal. */
final class AwsCalls {

  private AwsCalls() {}

  /**
   * Runs {@code call}: throttling, 5xx and connection failures are retryable; refused credentials
   * and rejected requests fatal, quoting the service's error code and message.
   */
  static <T> T call(String service, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      AnalysisException translated = AwsAuth.translate(service, e);
      throw new RouterException(
          String.valueOf(translated.getMessage()),
          translated instanceof RetryableAnalysisException,
          e);
    } catch (AnalysisException e) {
      throw new RouterException(
          String.valueOf(e.getMessage()), e instanceof RetryableAnalysisException, e);
    }
  }
}
