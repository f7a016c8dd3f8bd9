package dev.aviary.analysis.metrics;

import dev.aviary.kernel.GuardedHttpClient;
import dev.aviary.kernel.OutboundPolicy;
import dev.aviary.kernel.SecretResolver;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * What the host hands every provider it creates: how secret references are opened and the HTTP
 * client outbound calls share. Providers are discovered without constructor arguments, so what they
 * need from their host comes here.
 *
 * @param secrets opens the secret references in a provider's settings, at call time
 * @param http the client for HTTP backends (connect timeout set, redirects not followed, every
 *     destination checked against the host's {@link dev.aviary.kernel.OutboundPolicy})
 * @param hostAwsCredentials whether a plan that names no AWS keys may sign with the host's own (the
 *     AWS SDK's default chain: the controller's environment, profile, web identity, container or
 *     instance role) — an admin's decision, off unless they allow it
 */
public record ProviderContext(SecretResolver secrets, HttpClient http, boolean hostAwsCredentials) {

  public ProviderContext {
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(http, "http");
  }

  /** A context that lends no host credentials. */
  public ProviderContext(SecretResolver secrets, HttpClient http) {
    this(secrets, http, false);
  }

  /** This context, lending the host's AWS credentials or not. */
  public ProviderContext withHostAwsCredentials(boolean lend) {
    return new ProviderContext(secrets, http, lend);
  }

  /** A context with the given secrets and a default client that may call anywhere. */
  public static ProviderContext of(SecretResolver secrets) {
    return of(secrets, OutboundPolicy.ANY);
  }

  /** A context with the given secrets and a default client guarded by {@code outbound}. */
  public static ProviderContext of(SecretResolver secrets, OutboundPolicy outbound) {
    return new ProviderContext(secrets, GuardedHttpClient.of(outbound, Duration.ofSeconds(5)));
  }
}
