package dev.aviary.analysis.metrics;

import dev.aviary.kernel.SettingViolation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  /**
   * Whether the provider delivers latency histograms: one series per bucket, labelled {@code le}.
   */
  default boolean deliversHistograms() {
    return false;
  }

  /**
   * Whether {@link MetricProvider#fetchWindows} answers one point per window over a long range (a
   * range query), so that past traffic can be replayed in a backtest.
   */
  default boolean replaysRanges() {
    return false;
  }

  /**
   * Why the points {@code template} returns over a window of length {@code window}, with these
   * settings, are not independent observations — each shares most of its data with its neighbours,
   * as {@code rate(x[1m])} sampled every second does — or empty when they are, or the provider
   * cannot tell. A rank test would count such points as separate samples.
   */
  default Optional<String> overlappingPoints(
      Map<String, ?> settings, String template, Duration window) {
    return Optional.empty();
  }
}
