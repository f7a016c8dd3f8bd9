package dev.aviary.analysis.metrics;

import dev.aviary.analysis.metrics.http.HttpCalls;
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
 * @param http the client for HTTP backends (connect timeout set, redirects not followed)
 */
public record ProviderContext(SecretResolver secrets, HttpClient http) {

  public ProviderContext {
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(http, "http");
  }

  /** A context with the given secrets and a default client. */
  public static ProviderContext of(SecretResolver secrets) {
    return new ProviderContext(secrets, HttpCalls.newClient(Duration.ofSeconds(5)));
  }
}
