package dev.aviary.controller.rollout;

import dev.aviary.controller.analysis.AnalysisOutcome;
import dev.aviary.controller.platform.Actors;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A rollout: its phase, where it stands in its plan, the weight it wants and the weight the router
 * confirmed, and the Argo-style counters its analyses keep. It changes only through the intention
 * methods below, each phase change through {@link RolloutLifecycle}; every change leaves an {@link
 * EventDraft} that is stored in the same transaction.
 */
@Entity
@Table(name = "rollout")
public class Rollout {

  @Id private UUID id;

  @Column(name = "plan_name", nullable = false)
  private String planName;

  @Column(name = "plan_revision", nullable = false)
  private int planRevision;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "plan_spec", nullable = false)
  private String planSpec;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private Phase phase;

  @Column(name = "abort_requested", nullable = false)
  private boolean abortRequested;

  @Column(name = "step_index", nullable = false)
  private int stepIndex;

  @Column(name = "step_entered", nullable = false)
  private boolean stepEntered;

  @Column(name = "step_started_at")
  private Instant stepStartedAt;

  @Column(name = "step_successes", nullable = false)
  private int stepSuccesses;

  @Column(name = "desired_weight", nullable = false)
  private int desiredWeight;

  @Column(name = "canary_weight", nullable = false)
  private int canaryWeight;

  @Column(name = "weight_verified", nullable = false)
  private boolean weightVerified = true;

  @Column(name = "weight_changed_at")
  private Instant weightChangedAt;

  @Column(name = "pause_until")
  private Instant pauseUntil;

  @Column(nullable = false)
  private int failures;

  @Column(nullable = false)
  private int inconclusives;

  @Column(name = "consecutive_errors", nullable = false)
  private int consecutiveErrors;

  @Column(name = "router_failures", nullable = false)
  private int routerFailures;

  @Column(name = "last_progress_at")
  private Instant lastProgressAt;

  @Column(name = "last_analysis_end")
  private Instant lastAnalysisEnd;

  @Column(name = "last_verdict")
  private String lastVerdict;

  @Column(name = "last_score")
  private Double lastScore;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "judge_state", nullable = false)
  private String judgeState = "{}";

  private String reason;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  private String canary;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  private String baseline;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  private String metadata;

  @Column(name = "idempotency_key")
  private String idempotencyKey;

  @Column(name = "request_fingerprint")
  private String requestFingerprint;

  @Column(name = "next_tick_at")
  private Instant nextTickAt;

  @Column(name = "created_by", nullable = false)
  private String createdBy;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  @Column(name = "finished_at")
  private Instant finishedAt;

  @Version private long version;

  @Transient private final List<EventDraft> drafts = new ArrayList<>();

  protected Rollout() {}

  /** A new rollout, due for its first tick at once. */
  static Rollout create(
      UUID id,
      String planName,
      int planRevision,
      String planSpec,
      String canary,
      String baseline,
      String metadata,
      String idempotencyKey,
      String requestFingerprint,
      String actor,
      Instant now) {
    Rollout r = new Rollout();
    r.id = id;
    r.planName = planName;
    r.planRevision = planRevision;
    r.planSpec = planSpec;
    r.phase = Phase.PENDING;
    r.canary = canary;
    r.baseline = baseline;
    r.metadata = metadata;
    r.idempotencyKey = idempotencyKey;
    r.requestFingerprint = requestFingerprint;
    r.createdBy = actor;
    r.createdAt = now;
    r.updatedAt = now;
    r.nextTickAt = now;
    r.event(
        EventType.CREATED,
        null,
        Phase.PENDING,
        null,
        null,
        actor,
        "rollout of plan " + planName + " revision " + planRevision + " accepted",
        now);
    return r;
  }

  // ---- the lifecycle ----------------------------------------------------------------------

  private void move(Trigger trigger, String actor, String why, Instant now) {
    Phase from = phase;
    Phase to =
        RolloutLifecycle.next(from, trigger)
            .orElseThrow(
                () ->
                    new IllegalTransitionException(
                        from,
                        trigger,
                        "a "
                            + from
                            + " rollout cannot "
                            + trigger.name().toLowerCase().replace('_', ' ')));
    phase = to;
    reason = why;
    updatedAt = now;
    if (to.terminal()) {
      finishedAt = now;
      nextTickAt = null;
      pauseUntil = null;
    }
    event(EventType.TRANSITION, from, to, null, null, actor, why, now);
  }

  private void event(
      EventType type,
      Phase from,
      Phase to,
      Integer fromWeight,
      Integer toWeight,
      String actor,
      String why,
      Instant now) {
    drafts.add(new EventDraft(type, from, to, fromWeight, toWeight, stepIndex, actor, why, now));
  }

  /** The events produced since the last call, oldest first; the list is emptied. */
  List<EventDraft> drainEvents() {
    List<EventDraft> out = List.copyOf(drafts);
    drafts.clear();
    return out;
  }

  // ---- the scheduler's intentions ----------------------------------------------------------

  void begin(Instant now) {
    move(Trigger.START, Actors.SCHEDULER, "started", now);
    lastProgressAt = now;
  }

  void enterStep(String description, Instant now) {
    stepEntered = true;
    stepStartedAt = now;
    stepSuccesses = 0;
    event(
        EventType.STEP,
        null,
        null,
        null,
        null,
        Actors.SCHEDULER,
        "step " + (stepIndex + 1) + ": " + description,
        now);
  }

  void wantWeight(int weight) {
    desiredWeight = weight;
  }

  /**
   * The router now applies {@code weight}; a change is an event and restarts the analysis window.
   */
  void weightApplied(int weight, boolean verified, String actor, Instant now) {
    routerFailures = 0;
    weightVerified = verified;
    if (weight != canaryWeight || weightChangedAt == null) {
      int from = canaryWeight;
      canaryWeight = weight;
      weightChangedAt = now;
      lastAnalysisEnd = null;
      if (from != weight) {
        event(
            EventType.WEIGHT,
            null,
            null,
            from,
            weight,
            actor,
            "canary weight "
                + from
                + "% -> "
                + weight
                + "%"
                + (verified ? " (read back)" : " (the router cannot report its weight)"),
            now);
      }
    }
  }

  void drifted(int reported, Instant now) {
    event(
        EventType.DRIFT,
        null,
        null,
        reported,
        desiredWeight,
        Actors.SCHEDULER,
        "the router reported " + reported + "% instead of " + desiredWeight + "%; set it again",
        now);
  }

  void routerFailed(String message, Instant now) {
    routerFailures++;
    event(EventType.ROUTER_ERROR, null, null, null, null, Actors.SCHEDULER, message, now);
  }

  void tickFailed(String message, Instant retryAt, Instant now) {
    event(EventType.TICK_ERROR, null, null, null, null, Actors.SCHEDULER, message, now);
    nextTickAt = retryAt;
  }

  void pauseForStep(Duration duration, Instant now) {
    pauseUntil = duration == null ? null : now.plus(duration);
    move(
        Trigger.PAUSE,
        Actors.SCHEDULER,
        duration == null
            ? "pause step: waiting for a person to resume"
            : "pause step: waiting until " + pauseUntil,
        now);
  }

  void timedPauseEnded(Instant now) {
    pauseUntil = null;
    move(Trigger.RESUME, Actors.SCHEDULER, "timed pause ended", now);
    stepCompleted(now);
  }

  void stepCompleted(Instant now) {
    stepIndex++;
    stepEntered = false;
    stepSuccesses = 0;
    lastProgressAt = now;
    updatedAt = now;
  }

  /** Records an analysis tick's outcome and updates the counters as Argo Rollouts does. */
  void analysed(
      AnalysisOutcome outcome,
      String verdict,
      Double score,
      String newJudgeState,
      Instant windowEnd,
      String summary,
      Instant now) {
    lastAnalysisEnd = windowEnd;
    lastVerdict = verdict;
    lastScore = score;
    judgeState = newJudgeState;
    switch (outcome) {
      case SUCCESS -> {
        consecutiveErrors = 0;
        stepSuccesses++;
        lastProgressAt = now;
      }
      case FAILURE -> {
        consecutiveErrors = 0;
        failures++;
      }
      case INCONCLUSIVE -> {
        consecutiveErrors = 0;
        inconclusives++;
      }
      case ERROR -> consecutiveErrors++;
    }
    updatedAt = now;
    event(
        EventType.ANALYSIS,
        null,
        null,
        null,
        null,
        Actors.SCHEDULER,
        outcome + ": " + summary,
        now);
  }

  void pauseInconclusive(String why, Instant now) {
    move(Trigger.PAUSE, Actors.SCHEDULER, why, now);
  }

  void rollBack(String why, String actor, Instant now) {
    desiredWeight = 0;
    pauseUntil = null;
    routerFailures = 0; // the way back gets its own attempts
    move(Trigger.ROLL_BACK, actor, why, now);
  }

  /** Stable holds all traffic again: rolled back, or aborted if a person asked. */
  void rolledBack(Instant now) {
    if (abortRequested) {
      move(Trigger.ABORTED, Actors.SCHEDULER, "aborted: all traffic back on stable", now);
    } else {
      move(
          Trigger.ROLLED_BACK,
          Actors.SCHEDULER,
          "rolled back: all traffic back on stable (" + reason + ")",
          now);
    }
  }

  void failed(String why, Instant now) {
    move(Trigger.FAIL, Actors.SCHEDULER, why, now);
  }

  void succeeded(String why, Instant now) {
    move(Trigger.SUCCEED, Actors.SCHEDULER, why, now);
  }

  void scheduleNextTick(Instant at) {
    nextTickAt = phase.terminal() ? null : at;
  }

  // ---- a person's or pipeline's intentions ---------------------------------------------------

  void pause(String actor, Instant now) {
    requirePhase(Trigger.PAUSE, "pause", Phase.PROGRESSING);
    event(EventType.ACTION, null, null, null, null, actor, "pause requested", now);
    pauseUntil = null;
    move(Trigger.PAUSE, actor, "paused by " + actor, now);
  }

  void resume(String actor, boolean currentStepIsPause, Instant now) {
    requirePhase(Trigger.RESUME, "resume", Phase.PAUSED);
    event(EventType.ACTION, null, null, null, null, actor, "resume requested", now);
    pauseUntil = null;
    inconclusives = 0;
    consecutiveErrors = 0; // resuming says: the cause is dealt with, count afresh
    lastProgressAt = now; // time spent paused never counts against progressDeadline
    move(Trigger.RESUME, actor, "resumed by " + actor, now);
    if (currentStepIsPause && stepEntered) {
      stepCompleted(now);
    }
    nextTickAt = now;
  }

  void promote(boolean full, int stepCount, String actor, Instant now) {
    requirePhase(
        Trigger.RESUME, full ? "promote fully" : "promote", Phase.PROGRESSING, Phase.PAUSED);
    event(
        EventType.ACTION,
        null,
        null,
        null,
        null,
        actor,
        full
            ? "full promotion requested: skipping every remaining step"
            : "promotion requested: skipping step " + (stepIndex + 1),
        now);
    pauseUntil = null;
    if (phase == Phase.PAUSED) {
      move(Trigger.RESUME, actor, (full ? "fully promoted by " : "promoted by ") + actor, now);
    }
    if (full) {
      stepIndex = stepCount;
      stepEntered = false;
      lastProgressAt = now;
    } else {
      stepCompleted(now);
    }
    nextTickAt = now;
  }

  void abort(String actor, Instant now) {
    requirePhase(Trigger.ROLL_BACK, "abort", Phase.PENDING, Phase.PROGRESSING, Phase.PAUSED);
    event(EventType.ACTION, null, null, null, null, actor, "abort requested", now);
    abortRequested = true;
    rollBack("aborted by " + actor, actor, now);
    nextTickAt = now;
  }

  void retry(String actor, Instant now) {
    requirePhase(Trigger.RETRY, "retry", Phase.ROLLED_BACK, Phase.ABORTED, Phase.FAILED);
    event(EventType.ACTION, null, null, null, null, actor, "retry requested", now);
    move(Trigger.RETRY, actor, "retried by " + actor + " from the first step", now);
    abortRequested = false;
    stepIndex = 0;
    stepEntered = false;
    stepSuccesses = 0;
    desiredWeight = 0;
    failures = 0;
    inconclusives = 0;
    consecutiveErrors = 0;
    routerFailures = 0;
    lastProgressAt = null;
    lastAnalysisEnd = null;
    lastVerdict = null;
    lastScore = null;
    judgeState = "{}";
    finishedAt = null;
    nextTickAt = now;
  }

  private void requirePhase(Trigger trigger, String action, Phase... allowed) {
    for (Phase p : allowed) {
      if (phase == p) {
        return;
      }
    }
    throw new IllegalTransitionException(
        phase, trigger, "cannot " + action + " a " + phase + " rollout" + hint());
  }

  private String hint() {
    return switch (phase) {
      case SUCCEEDED -> ": it has finished and its canary is the stable version";
      case ROLLING_BACK -> ": it is already rolling back";
      case ROLLED_BACK, ABORTED, FAILED -> ": it has finished; retry starts it again";
      case PENDING -> ": it has not started yet";
      case PAUSED -> ": it is paused";
      case PROGRESSING -> ": it is progressing";
    };
  }

  // ---- reading ----------------------------------------------------------------------------------

  public UUID id() {
    return id;
  }

  public String planName() {
    return planName;
  }

  public int planRevision() {
    return planRevision;
  }

  String planSpec() {
    return planSpec;
  }

  public Phase phase() {
    return phase;
  }

  public boolean abortRequested() {
    return abortRequested;
  }

  public int stepIndex() {
    return stepIndex;
  }

  boolean stepEntered() {
    return stepEntered;
  }

  public Instant stepStartedAt() {
    return stepStartedAt;
  }

  public int stepSuccesses() {
    return stepSuccesses;
  }

  public int desiredWeight() {
    return desiredWeight;
  }

  public int canaryWeight() {
    return canaryWeight;
  }

  public boolean weightVerified() {
    return weightVerified;
  }

  Instant weightChangedAt() {
    return weightChangedAt;
  }

  public Instant pauseUntil() {
    return pauseUntil;
  }

  public int failures() {
    return failures;
  }

  public int inconclusives() {
    return inconclusives;
  }

  public int consecutiveErrors() {
    return consecutiveErrors;
  }

  public int routerFailures() {
    return routerFailures;
  }

  Instant lastProgressAt() {
    return lastProgressAt;
  }

  Instant lastAnalysisEnd() {
    return lastAnalysisEnd;
  }

  public String lastVerdict() {
    return lastVerdict;
  }

  public Double lastScore() {
    return lastScore;
  }

  String judgeState() {
    return judgeState;
  }

  public String reason() {
    return reason;
  }

  String canary() {
    return canary;
  }

  String baseline() {
    return baseline;
  }

  String metadata() {
    return metadata;
  }

  String requestFingerprint() {
    return requestFingerprint;
  }

  public Instant nextTickAt() {
    return nextTickAt;
  }

  public String createdBy() {
    return createdBy;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant updatedAt() {
    return updatedAt;
  }

  public Instant finishedAt() {
    return finishedAt;
  }
}
