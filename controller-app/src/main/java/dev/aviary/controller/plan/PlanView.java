package dev.aviary.controller.plan;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A plan as the API shows it.
 *
 * @param spec the validated plan
 * @param document its canonical document (what GET answers, defaults filled in)
 * @param revision counts every change; the ETag
 * @param createdAt when the plan (under this name, this time) was created
 * @param updatedAt when it last changed
 */
public record PlanView(
    @Nullable PlanSpec spec,
    PlanDocument document,
    int revision,
    Instant createdAt,
    Instant updatedAt) {}
