package dev.aviary.controller.plan.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;

/**
 * A stored metric template with its revision (also the {@code ETag}) and the plans that use it.
 *
 * @param template the template document
 * @param revision counts every change
 * @param createdAt when it was created under this name
 * @param updatedAt when it last changed
 * @param usedBy the plans with a metric made from it
 */
record MetricTemplateResponse(
    @JsonUnwrapped MetricTemplateDocument template,
    int revision,
    Instant createdAt,
    Instant updatedAt,
    List<String> usedBy) {}
