package dev.aviary.controller.platform.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The shape of every error the API answers: an RFC 9457 problem document ({@code
 * application/problem+json}). Written by {@link ProblemHandler} and {@link ProblemWriter}; this
 * record describes it for the OpenAPI document.
 *
 * @param type a stable URI per kind of problem, https://aviary.dev/problems/&lt;slug&gt;
 * @param title the kind of problem, in words
 * @param status the HTTP status
 * @param detail what went wrong, for a person
 * @param instance the request path
 * @param errors invalid requests: every invalid field and what is wrong with it
 * @param phase a conflicting action: the rollout's phase, which does not allow it
 * @param activeRollout a conflicting start or retry: the plan's active rollout
 * @param rollout an Idempotency-Key used for another request: the rollout it started
 * @param currentRevision a stale If-Match: the revision to read again
 * @param limit a body too large: the limit in bytes
 * @param errorId an internal error: the id it is logged under
 */
@Schema(
    name = "Problem",
    example =
        "{\"type\": \"https://aviary.dev/problems/invalid-request\", \"title\": \"Invalid"
            + " request\", \"status\": 400, \"detail\": \"1 field is invalid: steps[0].setWeight\","
            + " \"instance\": \"/api/v1/plans\", \"errors\": [{\"field\": \"steps[0].setWeight\","
            + " \"message\": \"must be a whole number between 0 and 100\"}]}")
record ProblemDocument(
    String type,
    String title,
    int status,
    @Nullable String detail,
    @Nullable String instance,
    @Nullable List<ProblemHandler.FieldError> errors,
    @Nullable String phase,
    @Nullable String activeRollout,
    @Nullable String rollout,
    @Nullable Long currentRevision,
    @Nullable Long limit,
    @Nullable String errorId) {}
