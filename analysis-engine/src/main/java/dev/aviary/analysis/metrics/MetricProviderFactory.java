package dev.aviary.analysis.metrics;

import dev.aviary.kernel.SettingViolation;
import java.util.List;
import java.util.Map;

/**
 * One kind of metrics backend: validates its settings when a plan is written and builds providers
 * from valid settings. Each implementation lives in its own sub-package, has a public no-argument
 * constructor, and is registered with one line in {@code
 * META-INF/services/dev.aviary.analysis.metrics.MetricProviderFactory}; {@link
 * MetricProviders#discover()} finds it there.
 */
public interface MetricProviderFactory {

  /** The name plans use in {@code provider.type}. */
  String type();

  /** Every problem with {@code settings}; empty when they are valid. */
  List<SettingViolation> validate(Map<String, ?> settings);

  /**
   * A provider for valid {@code settings}.
   *
   * @throws IllegalArgumentException if the settings are invalid (call {@link #validate} first)
   */
  MetricProvider create(Map<String, ?> settings, ProviderContext context);
}
