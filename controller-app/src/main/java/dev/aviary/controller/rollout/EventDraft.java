package dev.aviary.controller.rollout;

import dev.aviary.controller.plan.NotificationEvent;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An event a rollout produced, saved with the rollout in the same transaction; {@code notice} says
 * which notification event it is, if any.
 */
record EventDraft(
    EventType type,
    @Nullable Phase fromPhase,
    @Nullable Phase toPhase,
    @Nullable Integer fromWeight,
    @Nullable Integer toWeight,
    @Nullable Integer stepIndex,
    String actor,
    String reason,
    Instant at,
    @Nullable NotificationEvent notice) {}
