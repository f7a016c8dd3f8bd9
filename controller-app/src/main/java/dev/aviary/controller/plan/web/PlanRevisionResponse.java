package dev.aviary.controller.plan.web;

import dev.aviary.controller.plan.PlanDocument;
import dev.aviary.controller.plan.PlanRevisionView;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One change of a plan.
 *
 * @param revision the revision it produced
 * @param change CREATED, UPDATED or DELETED
 * @param actor who made it
 * @param at when
 * @param plan the plan after the change; null for a deletion
 */
record PlanRevisionResponse(
    int revision,
    @Schema(allowableValues = {"CREATED", "UPDATED", "DELETED"}) String change,
    @Nullable String actor,
    Instant at,
    @Nullable PlanDocument plan) {

  static PlanRevisionResponse of(PlanRevisionView r) {
    return new PlanRevisionResponse(r.revision(), r.change(), r.actor(), r.at(), r.document());
  }
}
