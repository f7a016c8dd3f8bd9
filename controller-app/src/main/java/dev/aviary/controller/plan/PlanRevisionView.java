package dev.aviary.controller.plan;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a plan's history.
 *
 * @param revision the revision this change produced
 * @param change CREATED, UPDATED or DELETED
 * @param document the plan as it stood after the change; null for a deletion
 * @param actor who made the change
 * @param at when
 */
public record PlanRevisionView(
    int revision,
    String change,
    @Nullable PlanDocument document,
    @Nullable String actor,
    Instant at) {}
