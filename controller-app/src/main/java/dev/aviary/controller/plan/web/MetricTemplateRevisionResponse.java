package dev.aviary.controller.plan.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One change of a metric template.
 *
 * @param revision the revision it produced
 * @param change CREATED, UPDATED or DELETED
 * @param actor who made it
 * @param at when
 * @param template the template after the change; null for a deletion
 */
record MetricTemplateRevisionResponse(
    int revision,
    @Schema(allowableValues = {"CREATED", "UPDATED", "DELETED"}) String change,
    String actor,
    Instant at,
    @Nullable MetricTemplateDocument template) {}
