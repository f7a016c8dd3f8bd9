package dev.aviary.controller.routing;

import java.util.Locale;

/**
 * What a traffic router can do. A plan that asks for a capability its router lacks is refused when
 * it is written, naming the step (or setting) and the router; docs/routers.md has the matrix of
 * router × capability, which a test keeps equal to what the adapters declare.
 */
public enum RouterCapability {
  /** Split traffic by percentage between stable and canary. */
  WEIGHTED_SPLIT("weighted split"),
  /**
   * Send requests with a given header to the canary, whatever the weight ({@code setHeaderRoute}).
   */
  HEADER_ROUTING("header routes"),
  /**
   * Send requests with a given cookie to the canary, whatever the weight ({@code setHeaderRoute}).
   */
  COOKIE_ROUTING("cookie routes"),
  /**
   * A caller who was answered by one version keeps being answered by it while that version has a
   * share of the traffic ({@code router.sticky}).
   */
  STICKY_SESSIONS("sticky sessions"),
  /** Copy a share of traffic to the canary without serving its answers ({@code mirror}). */
  MIRRORING("mirroring"),
  /**
   * Its two server groups can swap roles release by release: after a promotion the group the new
   * version runs on is live, and the next release goes to the other.
   */
  ALTERNATING_SLOTS("alternating slots");

  private final String words;

  RouterCapability(String words) {
    this.words = words;
  }

  /** How people and problems name it: {@code header routes}. */
  public String words() {
    return words;
  }

  /** As docs and plans name it: {@code HEADER_ROUTING} → {@code header-routing}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
