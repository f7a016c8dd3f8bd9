package dev.aviary.controller.rollout;

import java.util.Locale;

/**
 * Which of a router's two server groups — named by its settings' {@code stable} and {@code canary}
 * — a rollout releases the new version to. With a router that can alternate ({@code
 * RouterCapability.ALTERNATING_SLOTS}), the group a promoted release ended on is live, and the next
 * release goes to the other one, starting from 0 % on it: the promoted version is the next
 * release's stable, and nobody has to move traffic back between releases.
 */
enum Slot {
  CANARY,
  STABLE;

  Slot other() {
    return this == CANARY ? STABLE : CANARY;
  }

  /** As the router settings and the API name it: {@code canary} or {@code stable}. */
  String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
