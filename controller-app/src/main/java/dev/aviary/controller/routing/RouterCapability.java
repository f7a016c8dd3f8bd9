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
  MIRRORING
}
