package dev.aviary.controller.plan;

import java.time.Instant;
import java.util.Map;

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
    int revision, String change, Map<String, Object> document, String actor, Instant at) {}
