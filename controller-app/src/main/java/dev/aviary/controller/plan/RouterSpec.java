package dev.aviary.controller.plan;

import java.util.Map;

/**
 * The traffic router a plan drives.
 *
 * @param type a registered router type, e.g. {@code haproxy}
 * @param settings the type's own settings, validated by its adapter
 */
public record RouterSpec(String type, Map<String, Object> settings) {
  public RouterSpec {
    settings = Map.copyOf(settings);
  }
}
