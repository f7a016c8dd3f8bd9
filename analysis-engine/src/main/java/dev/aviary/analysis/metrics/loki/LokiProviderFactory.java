package dev.aviary.analysis.metrics.loki;

import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.http.HttpOptions;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loki, over its HTTP query API. Settings: {@code address} and the shared {@code timeout}, {@code
 * headers} (a multi-tenant Loki's {@code X-Scope-OrgID}) and {@code auth}.
 */
public final class LokiProviderFactory implements MetricProviderFactory {

  public static final String TYPE = "loki";

  /** Parsed settings. */
  record Settings(URI address, HttpOptions http) {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<SettingViolation> validate(Map<String, ?> settings) {
    List<SettingViolation> violations = new ArrayList<>();
    read(settings, violations);
    return violations;
  }

  private static Settings read(Map<String, ?> raw, List<SettingViolation> violations) {
    SettingsReader r = new SettingsReader(raw, violations);
    URI address = r.httpUrl("address", true);
    HttpOptions http = HttpOptions.read(r);
    r.rejectUnknown();
    return new Settings(address == null ? URI.create("http://invalid") : address, http);
  }

  @Override
  public MetricProvider create(Map<String, ?> settings, ProviderContext context) {
    List<SettingViolation> violations = new ArrayList<>();
    Settings parsed = read(settings, violations);
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("invalid loki settings: " + violations);
    }
    return new LokiProvider(parsed, context);
  }

  /** Range queries answer one point per step, as Prometheus's do. */
  @Override
  public boolean replaysRanges() {
    return true;
  }
}
