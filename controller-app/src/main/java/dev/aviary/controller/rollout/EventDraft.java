package dev.aviary.controller.rollout;

import java.time.Instant;

/** An event a rollout produced, saved with the rollout in the same transaction. */
record EventDraft(
    EventType type,
    Phase fromPhase,
    Phase toPhase,
    Integer fromWeight,
    Integer toWeight,
    Integer stepIndex,
    String actor,
    String reason,
    Instant at) {}
