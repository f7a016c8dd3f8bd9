package dev.aviary.analysis.metrics.json;

import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.kernel.SettingViolation;
import java.util.List;
import java.util.Map;

/**
 * Any HTTP endpoint that answers with JSON: the number is picked with a JSONPath. Plans name it
 * {@code web}, as Argo Rollouts does.
 */
public final class JsonProviderFactory implements MetricProviderFactory {

  public static final String TYPE = "web";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<SettingViolation> validate(Map<String, ?> settings) {
    return JsonSettings.parse(settings).violations();
  }

  @Override
  public MetricProvider create(Map<String, ?> settings, ProviderContext context) {
    return new JsonProvider(JsonSettings.parse(settings).orThrow("web settings"), context);
  }
}
