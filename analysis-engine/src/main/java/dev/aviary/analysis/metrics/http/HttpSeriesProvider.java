package dev.aviary.analysis.metrics.http;

import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.SeriesProvider;
import dev.aviary.kernel.SecretResolver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A {@link SeriesProvider} that calls one HTTP service: named for breakers by its type and host,
 * calling through the host's guarded client, opening secrets at call time.
 */
public abstract class HttpSeriesProvider extends SeriesProvider {

  private final String type;
  private final String name;
  private final URI address;
  protected final HttpClient client;
  protected final SecretResolver secrets;

  /**
   * @param type the provider type plans name ({@code datadog})
   * @param name what the service is called in messages ({@code Datadog})
   * @param address the service's base URL
   */
  protected HttpSeriesProvider(String type, String name, URI address, ProviderContext context) {
    this.type = type;
    this.name = name;
    this.address = address;
    this.client = context.http();
    this.secrets = context.secrets();
  }

  @Override
  public String backend(MetricQuery query) {
    return type + " " + HttpCalls.hostPort(address);
  }

  @Override
  protected String backendName() {
    return name;
  }

  /** The base URL without a trailing slash, for appending an API path. */
  protected String base() {
    return address.toString().replaceAll("/+$", "");
  }

  /** Sends {@code request}, failures sorted as {@link HttpCalls#send} sorts them. */
  protected HttpResponse<String> send(HttpRequest request) {
    return HttpCalls.send(client, request, name);
  }
}
