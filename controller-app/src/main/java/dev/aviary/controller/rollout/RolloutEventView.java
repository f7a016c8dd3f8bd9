package dev.aviary.controller.rollout;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a rollout's trail.
 *
 * @param id ascending within the rollout; resume a stream after it
 * @param at when
 * @param type what kind of change
 * @param fromPhase for transitions, where it was
 * @param toPhase for transitions, where it went
 * @param fromWeight for weight changes and drift, the weight before (drift: what the router said)
 * @param toWeight the weight after
 * @param step the step index then
 * @param actor who or what: {@code token:<name>}, {@code oidc:<subject>}, {@code scheduler}
 * @param reason in words
 */
public record RolloutEventView(
    long id,
    Instant at,
    EventType type,
    @Nullable Phase fromPhase,
    @Nullable Phase toPhase,
    @Nullable Integer fromWeight,
    @Nullable Integer toWeight,
    @Nullable Integer step,
    @Nullable String actor,
    @Nullable String reason) {}
