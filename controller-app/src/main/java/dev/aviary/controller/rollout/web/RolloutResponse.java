package dev.aviary.controller.rollout.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.aviary.controller.rollout.ParallelRuns;
import dev.aviary.controller.rollout.Phase;
import dev.aviary.controller.rollout.RollbackCause;
import dev.aviary.controller.rollout.RolloutView;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A rollout: where it stands, the traffic it wants and the router confirmed, what its analyses
 * said. Timestamps that do not apply (yet) are left out.
 *
 * @param id the rollout
 * @param plan the plan's name
 * @param planRevision the plan revision it runs
 * @param slot the router's server group the new version runs on and this rollout releases to:
 *     {@code canary} or {@code stable}; after a promotion the next release goes to the other one
 * @param phase PENDING, PROGRESSING, PAUSED, SUCCEEDED, ROLLING_BACK, ROLLED_BACK, ABORTED, FAILED
 * @param reason why it is in this phase
 * @param step the current step
 * @param canaryWeight the weight the router confirmed
 * @param desiredWeight the weight the rollout wants
 * @param weightVerified whether the router reported the weight back
 * @param pausedUntil when a timed pause ends
 * @param waitingFor while PAUSED: {@code timer} (a timed pause; it ends by itself) or {@code
 *     person} (a pause without a timer, a judge that could not decide or judge, a person's pause or
 *     hold)
 * @param heldBy who holds a timed pause so that its timer does not end it (pause on a timed pause;
 *     resume returns to it, promote skips it)
 * @param rollbackCause why it went back to stable: CANARY_FAILED, NOT_JUDGED (the metrics could not
 *     be fetched: nothing is known about the canary), UNDECIDED, NO_PROGRESS, ROUTER, ABORTED,
 *     PARALLEL_RUN_MISMATCH, REJECTED (a person rejected it at an approval step), NOT_APPROVED
 *     (nobody answered an approval step in time), HOOK_FAILED (a hook at a gate said no-go, was
 *     silent past its timeout, or failed past its retries)
 * @param analysis what the analyses added up to
 * @param routerFailures failed attempts to drive the router since the last success
 * @param abortRequested whether a person aborted it
 * @param canary the canary's variables
 * @param baseline the baseline's variables
 * @param metadata free text for people
 * @param createdBy who started it
 * @param createdAt when
 * @param updatedAt when it last changed
 * @param finishedAt when it finished
 * @param nextTickAt when the scheduler next works on it
 * @param parallelRun its parallel run, when its plan has one (only when one rollout is read)
 * @param approval while it waits in an approval step: who may answer, and until when
 * @param hold why it may not raise traffic now: a freeze that covers its plan, or outside the
 *     plan's release windows; it keeps its weight and is still judged
 */
record RolloutResponse(
    UUID id,
    String plan,
    int planRevision,
    String slot,
    Phase phase,
    @Nullable String reason,
    Step step,
    int canaryWeight,
    int desiredWeight,
    boolean weightVerified,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant pausedUntil,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(allowableValues = {"timer", "person"})
        @Nullable String waitingFor,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String heldBy,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable RollbackCause rollbackCause,
    Analysis analysis,
    int routerFailures,
    boolean abortRequested,
    Map<String, String> canary,
    Map<String, String> baseline,
    Map<String, String> metadata,
    String createdBy,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant createdAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant updatedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant finishedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant nextTickAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable ParallelRun parallelRun,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Approval approval,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String hold) {

  /**
   * An approval step waiting for an answer: {@code POST .../approve} or {@code .../reject}.
   *
   * @param who who may answer, in words
   * @param roles the roles that may answer (the hierarchy applies: an admin holds operator too)
   * @param approvers if not empty, the only callers who may answer
   * @param excludeStarter whether the caller who started the rollout may not answer
   * @param waitingSince since when it waits (the step's start, or the last resume)
   * @param deadline when it times out
   * @param onTimeout what happens then
   */
  @Schema(name = "RolloutApproval")
  record Approval(
      String who,
      List<String> roles,
      List<String> approvers,
      boolean excludeStarter,
      Instant waitingSince,
      Instant deadline,
      @Schema(allowableValues = {"pause", "rollback"}) String onTimeout) {}

  /**
   * The rollout's parallel run, when its plan has one (only when one rollout is read).
   *
   * @param step the one-based number of the parallel-run step
   * @param active whether the rollout is in that step now
   * @param verdict while active: WAIT, NODATA or UNDECIDED
   * @param reason the gate's decision, or the summary, in words
   * @param comparisons requests compared
   * @param mismatches of those, requests that differed in a field that is not noise
   * @param mismatchRate mismatches over comparisons
   * @param maxMismatchRate the step's limit
   * @param candidateErrors requests the candidate did not answer
   * @param skipped sampled requests not mirrored
   */
  @Schema(name = "RolloutParallelRun")
  record ParallelRun(
      int step,
      boolean active,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String verdict,
      String reason,
      long comparisons,
      long mismatches,
      double mismatchRate,
      double maxMismatchRate,
      long candidateErrors,
      long skipped) {

    static ParallelRun of(ParallelRuns.State s) {
      var sum = s.summary();
      return new ParallelRun(
          s.step(),
          s.active(),
          s.verdict(),
          s.reason(),
          sum.comparisons(),
          sum.mismatches(),
          sum.mismatchRate(),
          s.maxMismatchRate(),
          sum.candidateErrors(),
          sum.skipped());
    }
  }

  /** The response with the rollout's parallel run. */
  RolloutResponse with(@Nullable ParallelRun run) {
    return new RolloutResponse(
        id,
        plan,
        planRevision,
        slot,
        phase,
        reason,
        step,
        canaryWeight,
        desiredWeight,
        weightVerified,
        pausedUntil,
        waitingFor,
        heldBy,
        rollbackCause,
        analysis,
        routerFailures,
        abortRequested,
        canary,
        baseline,
        metadata,
        createdBy,
        createdAt,
        updatedAt,
        finishedAt,
        nextTickAt,
        run,
        approval,
        hold);
  }

  /**
   * The current step; after the last one, {@code kind} is {@code promotion}.
   *
   * @param index zero-based
   * @param total the plan's number of steps
   * @param number one-based; absent after the last step
   * @param kind setWeight, pause, analysis, or promotion
   * @param description one line for people
   * @param entered whether the step has begun; absent after the last step
   * @param startedAt when the step began
   * @param passingAnalyses analyses passed in this step
   */
  @Schema(name = "RolloutStep")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Step(
      int index,
      int total,
      @Nullable Integer number,
      String kind,
      String description,
      @Nullable Boolean entered,
      @Nullable Instant startedAt,
      int passingAnalyses) {}

  /**
   * What the analyses added up to.
   *
   * @param lastVerdict PASS, MARGINAL, FAIL or NODATA; null before the first analysis
   * @param lastScore the last score
   * @param failures failed analyses
   * @param inconclusive inconclusive analyses
   * @param consecutiveErrors metric-backend errors in a row
   */
  @Schema(name = "RolloutAnalysisState")
  record Analysis(
      @Nullable String lastVerdict,
      @Nullable Double lastScore,
      int failures,
      int inconclusive,
      int consecutiveErrors) {}

  static RolloutResponse of(RolloutView v) {
    RolloutView.StepState s = v.step();
    RolloutView.AnalysisState a = v.analysis();
    RolloutView.ApprovalState ap = v.approval();
    return new RolloutResponse(
        v.id(),
        v.plan(),
        v.planRevision(),
        v.slot(),
        v.phase(),
        v.reason(),
        new Step(
            s.index(),
            s.total(),
            s.number(),
            s.kind(),
            s.description(),
            s.entered(),
            s.startedAt(),
            s.passingAnalyses()),
        v.canaryWeight(),
        v.desiredWeight(),
        v.weightVerified(),
        v.pausedUntil(),
        v.waitingFor(),
        v.heldBy(),
        v.rollbackCause(),
        new Analysis(
            a.lastVerdict(), a.lastScore(), a.failures(), a.inconclusive(), a.consecutiveErrors()),
        v.routerFailures(),
        v.abortRequested(),
        v.canary(),
        v.baseline(),
        v.metadata(),
        v.createdBy(),
        v.createdAt(),
        v.updatedAt(),
        v.finishedAt(),
        v.nextTickAt(),
        null,
        ap == null
            ? null
            : new Approval(
                ap.who(),
                ap.roles(),
                ap.approvers(),
                ap.excludeStarter(),
                ap.waitingSince(),
                ap.deadline(),
                ap.onTimeout()),
        v.hold());
  }
}
