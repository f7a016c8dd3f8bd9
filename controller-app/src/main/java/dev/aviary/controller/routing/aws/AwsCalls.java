package dev.aviary.controller.routing.aws;

import dev.aviary.analysis.AnalysisException;
import dev.aviary.analysis.RetryableAnalysisException;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.http.AwsAuth;
import dev.aviary.analysis.metrics.http.JdkSdkHttpClient;
import dev.aviary.controller.routing.RouterException;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;

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

  /**
   * {@code builder} set up as every AWS router's client is: the region and credentials of {@code
   * aws}, the controller's guarded HTTP client, one attempt per call ({@code RemoteCalls} retries,
   * with its breaker and lanes), and {@code endpoint} when one is given.
   */
  static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configured(
      B builder, AwsAuth aws, @Nullable URI endpoint, Duration timeout, ProviderContext context) {
    builder
        .region(Region.of(aws.region()))
        .credentialsProvider(aws.credentials(context, timeout))
        .httpClient(new JdkSdkHttpClient(context.http(), timeout))
        .overrideConfiguration(
            c ->
                c.retryStrategy(AwsRetryStrategy.doNotRetry())
                    .apiCallTimeout(timeout.plusSeconds(1)));
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder;
  }
}
