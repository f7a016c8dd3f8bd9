package dev.aviary.controller.rollout.web;

import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.controller.platform.PlanAccess;
import dev.aviary.controller.rollout.ApprovalLinks;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/approval-links/{token}}: the one-time links "approval needed" notifications carry.
 * The dashboard's confirmation page reads one and answers with it after the person signs in.
 */
@RestController
@RequestMapping(path = "/api/v1/approval-links")
@Tag(
    name = "Approval links",
    description =
        "One-time links to answer an approval step, sent with approval-needed notifications")
class ApprovalLinkController {

  private final ApprovalLinks links;
  private final PlanAccess access;

  ApprovalLinkController(ApprovalLinks links, PlanAccess access) {
    this.links = links;
    this.access = access;
  }

  /**
   * A one-time approval link and the rollout it answers for.
   *
   * @param rollout the rollout as it is now
   * @param step the step it answers, one-based
   * @param state open (it may answer now), used, expired, or stale (the rollout no longer waits at
   *     that step)
   * @param expiresAt when it stops working: the approval step's deadline
   * @param usedAt when it was used
   * @param usedBy who used it
   * @param answer approved or rejected, once used
   */
  @Schema(name = "ApprovalLink")
  record LinkResponse(
      RolloutResponse rollout,
      int step,
      @Schema(allowableValues = {"open", "used", "expired", "stale"}) String state,
      Instant expiresAt,
      @Nullable Instant usedAt,
      @Nullable String usedBy,
      @Schema(allowableValues = {"approved", "rejected"}) @Nullable String answer) {
    static LinkResponse of(ApprovalLinks.Link l) {
      return new LinkResponse(
          RolloutResponse.of(l.rollout()),
          l.step() + 1,
          l.state().name().toLowerCase(Locale.ROOT),
          l.expiresAt(),
          l.usedAt(),
          l.usedBy(),
          l.answer());
    }
  }

  @GetMapping(path = "/{token}", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "getApprovalLink",
      summary = "What a one-time approval link answers, and whether it still may")
  LinkResponse get(@PathVariable String token) {
    ApprovalLinks.Link link = links.view(token);
    access.check(link.rollout().plan());
    return LinkResponse.of(link);
  }

  @PostMapping(path = "/{token}/approve", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "approveWithLink",
      summary = "Approve the link's step; the link is used up",
      description =
          "The caller needs the step's rights, as with POST /rollouts/{id}/approve (403);"
              + " 410 when the link was used or has expired; 409 when the rollout no longer waits"
              + " at its step")
  RolloutResponse approve(
      @PathVariable String token,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false)
          @RequestBody(required = false)
          @Nullable AnswerRequest answer) {
    access.check(links.view(token).rollout().plan());
    return RolloutResponse.of(links.answer(token, true, answer == null ? null : answer.reason()));
  }

  @PostMapping(
      path = "/{token}/reject",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "rejectWithLink",
      summary = "Reject the link's step (the rollout rolls back); the link is used up",
      description = "As approve; a reason is required")
  RolloutResponse reject(@PathVariable String token, @RequestBody AnswerRequest answer) {
    String reason = answer.reason();
    if (reason == null) {
      throw InvalidRequestException.of("reason", "is required to reject: say why");
    }
    access.check(links.view(token).rollout().plan());
    return RolloutResponse.of(links.answer(token, false, reason));
  }
}
