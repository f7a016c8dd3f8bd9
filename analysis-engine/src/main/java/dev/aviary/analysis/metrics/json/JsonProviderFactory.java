package dev.aviary.analysis.metrics.json;

import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.ParsedProviderFactory;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.kernel.Parsed;
import java.util.Map;

/**
 * Any HTTP endpoint that answers with JSON: the number is picked with a JSONPath. Plans name it
 * {@code web}, as Argo Rollouts does.
 */
public final class JsonProviderFactory extends ParsedProviderFactory<JsonSettings> {

  public static final String TYPE = "web";

  public JsonProviderFactory() {
    super(TYPE);
  }

  @Override
  protected Parsed<JsonSettings> parse(Map<String, ?> settings) {
    return JsonSettings.parse(settings);
  }

  @Override
  protected MetricProvider create(JsonSettings settings, ProviderContext context) {
    return new JsonProvider(settings, context);
  }
}
