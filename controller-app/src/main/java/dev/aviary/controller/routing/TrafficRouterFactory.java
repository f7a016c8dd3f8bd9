package dev.aviary.controller.routing;

import dev.aviary.kernel.SettingViolation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One kind of traffic router: validates its settings when a plan is written and builds routers from
 * valid settings. Each implementation lives in its own sub-package of {@code routing} and is a
 * Spring component, which registers it.
 */
public interface TrafficRouterFactory {

  /** The name plans use in {@code router.type}. */
  String type();

  Set<RouterCapability> capabilities();

  /**
   * Why a router of this type with {@code settings} cannot do {@code capability} though the type
   * can — the setting the capability needs, in words — or empty when it can (or the settings are
   * invalid: their own violations say why).
   */
  default Optional<String> missingSetting(RouterCapability capability, Map<String, ?> settings) {
    return Optional.empty();
  }

  /** Every problem with {@code settings}; empty when they are valid. */
  List<SettingViolation> validate(Map<String, ?> settings);

  /**
   * A router for a plan with valid settings.
   *
   * @param target who the router is driven for (plan and rollout), for adapters that label or
   *     report what they change
   */
  TrafficRouter create(RouterTarget target, Map<String, ?> settings);

  /**
   * Where a router with valid {@code settings} sends its calls — a host and port, an API server —
   * so that calls to one destination share one lane of {@code RemoteCalls} (a bulkhead that keeps a
   * hanging destination from holding every dispatcher); null for a router that calls nothing
   * outside this process.
   */
  default @Nullable String destination(Map<String, ?> settings) {
    return "router " + type();
  }

  /** The names of the ready-made metrics this router offers, such as {@code http-error-rate}. */
  default Set<String> metricTemplates() {
    return Set.of();
  }

  /**
   * The ready-made metric {@code name} for a router with valid {@code settings}: count templates
   * for each side, read from the router's own metrics; empty when this router offers none of that
   * name.
   */
  default Optional<RouterMetric> metricTemplate(String name, Map<String, ?> settings) {
    return Optional.empty();
  }

  /**
   * Why this router's settings make no ready-made metric {@code name}, in words, when the reason is
   * more than the name (a setting the metric needs, say); empty otherwise.
   */
  default Optional<String> metricTemplateRefusal(String name, Map<String, ?> settings) {
    return Optional.empty();
  }
}
