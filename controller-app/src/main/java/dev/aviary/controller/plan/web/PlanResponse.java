package dev.aviary.controller.plan.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.aviary.controller.plan.PlanDocument;
import dev.aviary.controller.plan.PlanView;
import java.time.Instant;

/**
 * A plan in canonical form (every default filled in), with its revision and times. The revision is
 * also the {@code ETag}; send it back as {@code If-Match} to write only over what you read.
 *
 * @param plan the plan document
 * @param revision counts every change
 * @param createdAt when the plan was created under this name
 * @param updatedAt when it last changed
 */
record PlanResponse(
    @JsonUnwrapped PlanDocument plan, int revision, Instant createdAt, Instant updatedAt) {

  static PlanResponse of(PlanView v) {
    return new PlanResponse(v.document(), v.revision(), v.createdAt(), v.updatedAt());
  }
}
