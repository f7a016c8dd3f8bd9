package dev.aviary.controller.routing;

/** What a traffic router can do beyond nothing. */
public enum RouterCapability {
  /** Split traffic by percentage between stable and canary. */
  WEIGHTED_SPLIT,
  /** Send requests with a given header to the canary. */
  HEADER_ROUTING,
  /** Send requests with a given cookie to the canary. */
  COOKIE_ROUTING,
  /** Copy traffic to the canary without serving its answers. */
  MIRRORING,
  /**
   * Its two server groups can swap roles release by release: after a promotion the group the new
   * version runs on is live, and the next release goes to the other (see {@code Slot}).
   */
  ALTERNATING_SLOTS
}
