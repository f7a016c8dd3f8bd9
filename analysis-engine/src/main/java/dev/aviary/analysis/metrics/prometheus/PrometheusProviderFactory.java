package dev.aviary.analysis.metrics.prometheus;

import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.http.HttpCalls;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.kernel.SettingViolation;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Prometheus and its API-compatible stores, over the HTTP query API. */
public final class PrometheusProviderFactory implements MetricProviderFactory {

  public static final String TYPE = "prometheus";

  private final SecretResolver secrets;
  private final HttpClient client;

  public PrometheusProviderFactory(SecretResolver secrets) {
    this(secrets, HttpCalls.newClient(Duration.ofSeconds(5)));
  }

  public PrometheusProviderFactory(SecretResolver secrets, HttpClient client) {
    this.secrets = Objects.requireNonNull(secrets);
    this.client = Objects.requireNonNull(client);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<SettingViolation> validate(Map<String, ?> settings) {
    return PrometheusSettings.parse(settings).violations();
  }

  @Override
  public MetricProvider create(Map<String, ?> settings) {
    return new PrometheusProvider(
        PrometheusSettings.parse(settings).orThrow("prometheus settings"), client, secrets);
  }
}
