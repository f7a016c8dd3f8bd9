package dev.aviary.controller.rollout;

import dev.aviary.controller.plan.PlanSpec;
import dev.aviary.controller.plan.Step;
import dev.aviary.controller.plan.StepHandlers;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A rollout as the rest of Aviary reads it: where it stands, what it wants, what its analyses said.
 *
 * @param id the rollout
 * @param plan the plan's name
 * @param planRevision the revision of the plan it runs (copied in at start)
 * @param slot the router's server group it releases to: {@code canary} or {@code stable}
 * @param phase where it stands in its lifecycle
 * @param reason why it is there, in words
 * @param step the current step
 * @param canaryWeight the weight the router confirmed
 * @param desiredWeight the weight the rollout wants
 * @param weightVerified whether the router reported the weight back
 * @param pausedUntil when a timed pause ends; null otherwise
 * @param waitingFor while paused: {@code timer} (a timed pause, it ends by itself) or {@code
 *     person} (only a person moves it on); null otherwise
 * @param heldBy who holds a timed pause, so that its timer does not end it; null otherwise
 * @param rollbackCause why it went back to stable; null unless it did
 * @param analysis what the analyses added up to
 * @param routerFailures failed attempts to drive the router since the last success
 * @param abortRequested whether a person aborted it
 * @param canary the canary's scope: its version and other query variables
 * @param baseline the baseline's scope
 * @param metadata free text for people (commit, pipeline)
 * @param createdBy who started it
 * @param createdAt when
 * @param updatedAt when it last changed
 * @param finishedAt when it reached a terminal phase; null while active
 * @param nextTickAt when the scheduler next works on it; null once finished
 * @param approval while it waits in an approval step: who may answer and until when; null otherwise
 * @param hold why it may not raise traffic now (a freeze, outside its plan's release windows); null
 *     otherwise
 */
public record RolloutView(
    UUID id,
    String plan,
    int planRevision,
    String slot,
    Phase phase,
    @Nullable String reason,
    StepState step,
    int canaryWeight,
    int desiredWeight,
    boolean weightVerified,
    @Nullable Instant pausedUntil,
    @Nullable String waitingFor,
    @Nullable String heldBy,
    @Nullable RollbackCause rollbackCause,
    AnalysisState analysis,
    int routerFailures,
    boolean abortRequested,
    Map<String, String> canary,
    Map<String, String> baseline,
    Map<String, String> metadata,
    String createdBy,
    Instant createdAt,
    Instant updatedAt,
    @Nullable Instant finishedAt,
    @Nullable Instant nextTickAt,
    @Nullable ApprovalState approval,
    @Nullable String hold) {

  /**
   * The current step.
   *
   * @param index zero-based; equal to {@code total} once every step is done
   * @param total the plan's number of steps
   * @param number one-based, as people count; null once every step is done
   * @param kind the step's kind, or {@code promotion} once every step is done
   * @param description one line, e.g. {@code setWeight 10%}
   * @param entered whether the step has begun; null once every step is done
   * @param startedAt when the step began
   * @param passingAnalyses analyses that passed in this step
   */
  public record StepState(
      int index,
      int total,
      @Nullable Integer number,
      String kind,
      String description,
      @Nullable Boolean entered,
      @Nullable Instant startedAt,
      int passingAnalyses) {}

  /**
   * What the analyses added up to, with Argo Rollouts' counters.
   *
   * @param lastVerdict the last analysis' verdict, or null before the first
   * @param lastScore its score
   * @param failures failed analyses
   * @param inconclusive inconclusive analyses
   * @param consecutiveErrors metric-backend errors in a row
   */
  public record AnalysisState(
      @Nullable String lastVerdict,
      @Nullable Double lastScore,
      int failures,
      int inconclusive,
      int consecutiveErrors) {}

  /**
   * An approval step waiting for an answer.
   *
   * @param who who may answer, in words
   * @param roles the roles that may answer
   * @param approvers if not empty, the only callers who may answer
   * @param excludeStarter whether the caller who started the rollout may not answer
   * @param waitingSince since when it waits (its start, or the last resume)
   * @param deadline when it times out
   * @param onTimeout {@code pause} or {@code rollback}
   */
  public record ApprovalState(
      String who,
      List<String> roles,
      List<String> approvers,
      boolean excludeStarter,
      Instant waitingSince,
      Instant deadline,
      String onTimeout) {}

  private static @Nullable ApprovalState approval(Rollout r, PlanSpec plan) {
    Instant since = r.stepWaitingSince();
    if ((r.phase() != Phase.PROGRESSING && r.phase() != Phase.PAUSED)
        || !r.stepEntered()
        || since == null
        || r.stepIndex() >= plan.steps().size()
        || !(plan.steps().get(r.stepIndex()) instanceof Step.Approval a)) {
      return null;
    }
    return new ApprovalState(
        StepHandlers.whoMayAnswer(a),
        a.roles().stream().sorted().toList(),
        a.approvers(),
        a.excludeStarter(),
        since,
        a.deadline(since),
        a.onTimeout().name().toLowerCase(Locale.ROOT));
  }

  static RolloutView of(Rollout r, PlanSpec plan) {
    int total = plan.steps().size();
    StepState step;
    if (r.stepIndex() < total) {
      Step s = plan.steps().get(r.stepIndex());
      step =
          new StepState(
              r.stepIndex(),
              total,
              r.stepIndex() + 1,
              s.kind(),
              StepHandlers.describe(s),
              r.stepEntered(),
              r.stepStartedAt(),
              r.stepSuccesses());
    } else {
      step =
          new StepState(
              r.stepIndex(),
              total,
              null,
              "promotion",
              "all steps done: promotion",
              null,
              r.stepStartedAt(),
              r.stepSuccesses());
    }
    return new RolloutView(
        r.id(),
        r.planName(),
        r.planRevision(),
        r.slot().key(),
        r.phase(),
        r.reason(),
        step,
        r.canaryWeight(),
        r.desiredWeight(),
        r.weightVerified(),
        r.pauseUntil(),
        r.phase() != Phase.PAUSED ? null : r.waitsForPerson() ? "person" : "timer",
        r.heldBy(),
        r.rollbackCause(),
        new AnalysisState(
            r.lastVerdict(), r.lastScore(), r.failures(), r.inconclusives(), r.consecutiveErrors()),
        r.routerFailures(),
        r.abortRequested(),
        r.canary(),
        r.baseline(),
        r.metadata(),
        r.createdBy(),
        r.createdAt(),
        r.updatedAt(),
        r.finishedAt(),
        r.nextTickAt(),
        approval(r, plan),
        r.phase().terminal() ? null : r.gateHold());
  }
}
