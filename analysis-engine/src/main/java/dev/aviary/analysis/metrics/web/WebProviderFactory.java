package dev.aviary.analysis.metrics.web;

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

/** Any HTTP endpoint that answers with JSON: the number is picked with a JSONPath. */
public final class WebProviderFactory implements MetricProviderFactory {

  public static final String TYPE = "web";

  private final SecretResolver secrets;
  private final HttpClient client;

  public WebProviderFactory(SecretResolver secrets) {
    this(secrets, HttpCalls.newClient(Duration.ofSeconds(5)));
  }

  public WebProviderFactory(SecretResolver secrets, HttpClient client) {
    this.secrets = Objects.requireNonNull(secrets);
    this.client = Objects.requireNonNull(client);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<SettingViolation> validate(Map<String, ?> settings) {
    return WebSettings.parse(settings).violations();
  }

  @Override
  public MetricProvider create(Map<String, ?> settings) {
    return new WebProvider(WebSettings.parse(settings).orThrow("web settings"), client, secrets);
  }
}
