package dev.aviary.controller.routing;

import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What every router factory does the same way: it has a name and capabilities, validates by parsing
 * its settings, and builds a router from the parsed settings. An adapter supplies {@link #parse}
 * and {@link #create(RouterTarget, Object)}.
 *
 * @param <S> the adapter's parsed settings
 */
public abstract class SettingsRouterFactory<S> implements TrafficRouterFactory {

  private final String type;
  private final Set<RouterCapability> capabilities;

  protected SettingsRouterFactory(String type, RouterCapability first, RouterCapability... more) {
    this.type = type;
    this.capabilities = Set.copyOf(EnumSet.of(first, more));
  }

  /** Reads the settings, every violation named. */
  protected abstract Parsed<S> parse(Map<String, ?> settings);

  /** A router for a plan with these valid settings. */
  protected abstract TrafficRouter create(RouterTarget target, S settings);

  @Override
  public final String type() {
    return type;
  }

  @Override
  public final Set<RouterCapability> capabilities() {
    return capabilities;
  }

  @Override
  public final List<SettingViolation> validate(Map<String, ?> settings) {
    return parse(settings).violations();
  }

  /** Where a router with these settings sends its calls: see {@link #destination(Map)}. */
  protected @Nullable String destination(S settings) {
    return "router " + type;
  }

  @Override
  public final @Nullable String destination(Map<String, ?> settings) {
    return destination(parse(settings).orThrow(type + " router settings"));
  }

  @Override
  public final TrafficRouter create(RouterTarget target, Map<String, ?> settings) {
    return create(target, parse(settings).orThrow(type + " router settings"));
  }
}
