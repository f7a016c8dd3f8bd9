package dev.aviary.analysis.metrics;

import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import java.util.List;
import java.util.Map;

/**
 * A provider factory whose settings are read into a value {@code S}: validation is that reading's
 * violations, and a provider is built from the value.
 */
public abstract class ParsedProviderFactory<S> implements MetricProviderFactory {

  private final String type;

  protected ParsedProviderFactory(String type) {
    this.type = type;
  }

  @Override
  public final String type() {
    return type;
  }

  /** Reads {@code settings}, collecting every violation. */
  protected abstract Parsed<S> parse(Map<String, ?> settings);

  /** A provider for valid settings. */
  protected abstract MetricProvider create(S settings, ProviderContext context);

  @Override
  public final List<SettingViolation> validate(Map<String, ?> settings) {
    return parse(settings).violations();
  }

  @Override
  public final MetricProvider create(Map<String, ?> settings, ProviderContext context) {
    return create(parse(settings).orThrow(type + " settings"), context);
  }
}
