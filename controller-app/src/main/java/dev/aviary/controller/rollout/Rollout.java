package dev.aviary.controller.rollout;

import dev.aviary.analysis.judge.JudgeState;
import dev.aviary.controller.analysis.AnalysisOutcome;
import dev.aviary.controller.plan.NotificationEvent;
import dev.aviary.controller.platform.Actors;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/**
 * A rollout: its phase, and its parts — where it stands in its plan ({@link StepPosition}), the
 * traffic it wants and the router confirmed ({@link Traffic}), what its analyses added up to
 * ({@link AnalysisTally}), what was asked to be released ({@link Release}) and when it is next due
 * ({@link Schedule}). It changes only through the intention methods below, each phase change
 * through {@link RolloutLifecycle}; every change leaves an {@link EventDraft} that is stored in the
 * same transaction.
 */
@Entity
@Table(name = "rollout")
class Rollout {

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

  /** The server group this rollout releases to; see {@link Slot}. */
  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private Slot slot = Slot.CANARY;

  /** Why it went back to stable; null unless it did. */
  @Enumerated(EnumType.STRING)
  @Column(name = "rollback_cause")
  private @Nullable RollbackCause rollbackCause;

  /** Who holds a timed pause so that its timer does not end it; null when nobody does. */
  @Column(name = "held_by")
  private @Nullable String heldBy;

  /** Why it may not raise traffic now (a freeze, outside its release windows); null otherwise. */
  @Column(name = "gate_hold")
  private @Nullable String gateHold;

  /** The gate whose hooks are being asked ({@code beforeWeightIncrease:2:25}); null: none. */
  @Column(name = "hook_gate")
  private @Nullable String hookGate;

  /** The hook of {@link #hookGate} being asked now. */
  @Column(name = "hook_name")
  private @Nullable String hookName;

  /** Since when that hook is asked: its timeout counts from here. */
  @Column(name = "hook_since")
  private @Nullable Instant hookSince;

  /** Its failed calls in a row. */
  @Column(name = "hook_failures", nullable = false)
  private int hookFailures;

  /** When to ask it next. */
  @Column(name = "hook_next_at")
  private @Nullable Instant hookNextAt;

  @Column(name = "abort_requested", nullable = false)
  private boolean abortRequested;

  @Embedded private StepPosition step = new StepPosition();

  @Embedded private Traffic traffic = new Traffic();

  @Embedded private AnalysisTally analysis = new AnalysisTally();

  @Embedded private Release release;

  @Embedded private Schedule schedule = new Schedule();

  private @Nullable String reason;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  @Column(name = "finished_at")
  private @Nullable Instant finishedAt;

  @Version private long version;

  @Transient private final List<EventDraft> drafts = new ArrayList<>();

  protected Rollout() {}

  /** Hibernate leaves an embedded part null when all its columns are null: a finished schedule. */
  @PostLoad
  private void loaded() {
    if (schedule == null) {
      schedule = new Schedule();
    }
  }

  /** A new rollout, due for its first tick at once. */
  static Rollout create(
      UUID id,
      String planName,
      int planRevision,
      String planSpec,
      Release release,
      Slot slot,
      Instant now) {
    Rollout r = new Rollout();
    r.id = id;
    r.slot = slot;
    r.planName = planName;
    r.planRevision = planRevision;
    r.planSpec = planSpec;
    r.phase = Phase.PENDING;
    r.release = release;
    r.createdAt = now;
    r.updatedAt = now;
    r.schedule.dueAt(now);
    r.event(
        EventType.CREATED,
        null,
        Phase.PENDING,
        null,
        null,
        release.createdBy(),
        "rollout of plan "
            + planName
            + " revision "
            + planRevision
            + " accepted, releasing to the "
            + slot.key()
            + " servers",
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
                            + trigger.name().toLowerCase(Locale.ROOT).replace('_', ' ')));
    phase = to;
    reason = why;
    updatedAt = now;
    if (to.terminal()) {
      finishedAt = now;
      schedule.stop();
    }
    event(EventType.TRANSITION, from, to, null, null, actor, why, now, notice(from, to));
  }

  /** What people hear of a move from {@code from} to {@code to}; null for none. */
  private static @Nullable NotificationEvent notice(Phase from, Phase to) {
    return switch (to) {
      case PROGRESSING ->
          from == Phase.PENDING
              ? NotificationEvent.STARTED
              : from == Phase.PAUSED ? NotificationEvent.RESUMED : null;
      case PAUSED -> NotificationEvent.PAUSED;
      case SUCCEEDED -> NotificationEvent.PROMOTED;
      case ROLLING_BACK -> NotificationEvent.ROLLING_BACK;
      case ROLLED_BACK -> NotificationEvent.ROLLED_BACK;
      case ABORTED -> NotificationEvent.ABORTED;
      case FAILED -> NotificationEvent.FAILED;
      case PENDING -> null;
    };
  }

  private void event(
      EventType type,
      @Nullable Phase from,
      @Nullable Phase to,
      @Nullable Integer fromWeight,
      @Nullable Integer toWeight,
      String actor,
      String why,
      Instant now) {
    event(type, from, to, fromWeight, toWeight, actor, why, now, null);
  }

  private void event(
      EventType type,
      @Nullable Phase from,
      @Nullable Phase to,
      @Nullable Integer fromWeight,
      @Nullable Integer toWeight,
      String actor,
      String why,
      Instant now,
      @Nullable NotificationEvent notice) {
    drafts.add(
        new EventDraft(
            type, from, to, fromWeight, toWeight, step.index(), actor, why, now, notice));
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
    schedule.progressed(now);
  }

  void enterStep(String description, Instant now) {
    step.enter(now);
    event(
        EventType.STEP,
        null,
        null,
        null,
        null,
        Actors.SCHEDULER,
        "step " + (step.index() + 1) + ": " + description,
        now,
        step.index() > 0 ? NotificationEvent.STEP_COMPLETED : null);
  }

  void wantWeight(int weight) {
    traffic.want(weight);
  }

  /**
   * The router now applies {@code weight}; a change is an event and restarts the analysis window.
   */
  void weightApplied(int weight, boolean verified, String actor, Instant now) {
    int from = traffic.applied(weight, verified, now);
    if (from < 0) {
      return;
    }
    analysis.windowRestarts();
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

  /**
   * The router now routes and copies requests as {@code routes} describes: the canary's traffic
   * changed, so analysis windows start afresh (a preview judged at 0 % is judged from here).
   */
  void routesSet(String routes, Instant now) {
    traffic.mixChanged(now);
    analysis.windowRestarts();
    event(
        EventType.ROUTES,
        null,
        null,
        null,
        null,
        Actors.SCHEDULER,
        "router set to: " + routes,
        now);
  }

  void drifted(int reported, Instant now) {
    traffic.newChange(); // setting it again is a change of its own, not a retry of the last one
    event(
        EventType.DRIFT,
        null,
        null,
        reported,
        traffic.desired(),
        Actors.SCHEDULER,
        "the router reported " + reported + "% instead of " + traffic.desired() + "%; set it again",
        now);
  }

  /** Names the traffic change in progress: stable across retries and restarts. */
  Slot slot() {
    return slot;
  }

  String trafficChange() {
    return id + "-" + traffic.changeSeq();
  }

  /** The router's weight could not be read: what it holds is unknown until it answers again. */
  void weightUnverified() {
    traffic.unverified();
  }

  void routerFailed(String message, Instant now) {
    traffic.routerFailed();
    event(EventType.ROUTER_ERROR, null, null, null, null, Actors.SCHEDULER, message, now);
  }

  void tickFailed(String message, Instant retryAt, Instant now) {
    event(EventType.TICK_ERROR, null, null, null, null, Actors.SCHEDULER, message, now);
    schedule.dueAt(retryAt);
  }

  /**
   * Traffic would rise now, but the release gate holds it (a freeze, outside the release windows):
   * the weight stays; a new reason is an event, the same reason again is not.
   */
  void gateHeld(String why, Instant now) {
    if (why.equals(gateHold)) {
      return;
    }
    gateHold = why;
    updatedAt = now;
    event(
        EventType.HOLD,
        null,
        null,
        null,
        null,
        Actors.SCHEDULER,
        "holding at " + traffic.current() + "%: " + why,
        now,
        NotificationEvent.HELD);
  }

  /** The release gate opened again: the hold ends, and the progress deadline starts afresh. */
  void gateOpened(Instant now) {
    if (gateHold == null) {
      return;
    }
    gateHold = null;
    updatedAt = now;
    schedule.progressed(now); // time spent held never counts against progressDeadline
    event(
        EventType.HOLD,
        null,
        null,
        null,
        null,
        Actors.SCHEDULER,
        "the release gate opened: traffic may rise again",
        now);
  }

  // ---- hooks at gates ------------------------------------------------------------------------

  /**
   * A hook at a gate is being asked: {@code hook} of {@code gate}, since {@code since}, next at
   * {@code nextAt} after {@code failures} failed calls in a row. A new hook asked is an event.
   */
  void hookAsked(
      String gate, String hook, Instant since, int failures, Instant nextAt, Instant now) {
    boolean first = !gate.equals(hookGate) || !hook.equals(hookName);
    hookGate = gate;
    hookName = hook;
    hookSince = since;
    hookFailures = failures;
    hookNextAt = nextAt;
    updatedAt = now;
    schedule.progressed(now); // a hook's own timeout bounds the wait, not progressDeadline
    if (first) {
      event(
          EventType.HOOK,
          null,
          null,
          null,
          null,
          Actors.SCHEDULER,
          "hook " + hook + ": waiting for its go (" + gate.split(":", 2)[0] + ")",
          now);
    }
  }

  /** The hook said go. */
  void hookPassed(String hook, String what, Instant now) {
    clearHook();
    updatedAt = now;
    schedule.progressed(now); // waiting for a hook's go is progress as planned
    event(
        EventType.HOOK,
        null,
        null,
        null,
        null,
        Actors.SCHEDULER,
        "hook " + hook + ": " + what,
        now);
  }

  /** The hook failed the gate: roll back, or pause for a person (resume asks it again). */
  void hookFailed(String hook, String why, boolean rollBack, Instant now) {
    clearHook();
    String what = "hook " + hook + " failed: " + why;
    event(EventType.HOOK, null, null, null, null, Actors.SCHEDULER, what, now);
    if (rollBack) {
      rollBack(RollbackCause.HOOK_FAILED, what, Actors.SCHEDULER, now);
      return;
    }
    schedule.pauseUntil(null);
    move(
        Trigger.PAUSE,
        Actors.SCHEDULER,
        what + "; waiting for a person: resume asks it again",
        now);
  }

  private void clearHook() {
    hookGate = null;
    hookName = null;
    hookSince = null;
    hookFailures = 0;
    hookNextAt = null;
  }

  @Nullable String hookGate() {
    return hookGate;
  }

  @Nullable String hookName() {
    return hookName;
  }

  @Nullable Instant hookSince() {
    return hookSince;
  }

  int hookFailures() {
    return hookFailures;
  }

  @Nullable Instant hookNextAt() {
    return hookNextAt;
  }

  void pauseForStep(@Nullable Duration duration, Instant now) {
    Instant until = duration == null ? null : now.plus(duration);
    schedule.pauseUntil(until);
    move(
        Trigger.PAUSE,
        Actors.SCHEDULER,
        duration == null
            ? "pause step: waiting for a person to resume"
            : "pause step: waiting until " + until,
        now);
  }

  void timedPauseEnded(Instant now) {
    schedule.pauseUntil(null);
    move(Trigger.RESUME, Actors.SCHEDULER, "timed pause ended", now);
    stepCompleted(now);
  }

  void stepCompleted(Instant now) {
    step.next();
    schedule.progressed(now);
    updatedAt = now;
  }

  /** Records an analysis tick's outcome and updates the counters as Argo Rollouts does. */
  void analysed(
      AnalysisOutcome outcome,
      @Nullable String verdict,
      @Nullable Double score,
      JudgeState newJudgeState,
      Instant windowEnd,
      String summary,
      Instant now) {
    if (analysis.record(outcome, verdict, score, newJudgeState, windowEnd)) {
      step.passed();
      schedule.progressed(now);
    } else if (outcome == AnalysisOutcome.UNDECIDED) {
      // evidence is accumulating as planned: maxDuration, not progressDeadline, bounds the wait
      schedule.progressed(now);
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
        now,
        outcome == AnalysisOutcome.FAILURE ? NotificationEvent.ANALYSIS_FAILED : null);
  }

  /** Records a parallel-run step's decision. */
  void parallelRunJudged(String summary, Instant now) {
    updatedAt = now;
    event(EventType.PARALLEL_RUN, null, null, null, null, Actors.SCHEDULER, summary, now);
  }

  /** An approval step began: who is asked, and until when. */
  void approvalNeeded(String who, Instant deadline, Instant now) {
    event(
        EventType.APPROVAL,
        null,
        null,
        null,
        null,
        Actors.SCHEDULER,
        "step " + (step.index() + 1) + " needs approval by " + who + ", until " + deadline,
        now,
        NotificationEvent.APPROVAL_NEEDED);
  }

  /** Nobody answered the approval step in time: roll back, or pause for a person. */
  void approvalTimedOut(boolean rollBack, String timeout, Instant now) {
    String why = "approval step " + (step.index() + 1) + ": nobody answered within " + timeout;
    event(EventType.APPROVAL, null, null, null, null, Actors.SCHEDULER, why, now);
    if (rollBack) {
      rollBack(RollbackCause.NOT_APPROVED, why, Actors.SCHEDULER, now);
      return;
    }
    schedule.pauseUntil(null);
    move(
        Trigger.PAUSE,
        Actors.SCHEDULER,
        why + "; waiting for a person: approve, reject, or resume to wait another " + timeout,
        now);
  }

  void pauseInconclusive(String why, Instant now) {
    move(Trigger.PAUSE, Actors.SCHEDULER, why, now);
  }

  void rollBack(RollbackCause cause, String why, String actor, Instant now) {
    rollbackCause = cause;
    heldBy = null;
    gateHold = null; // the way back is never held
    clearHook();
    traffic.want(0);
    schedule.pauseUntil(null);
    traffic.resetRouterFailures(); // the way back gets its own attempts
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
    schedule.dueAt(phase.terminal() ? null : at);
  }

  // ---- a person's or pipeline's intentions ---------------------------------------------------

  /**
   * A person's pause. A progressing rollout pauses; a rollout in a timed pause is held: the timer
   * no longer ends the pause, and resume returns to it (with whatever time it has left).
   */
  void pause(String actor, Instant now) {
    if (phase == Phase.PAUSED && schedule.pauseUntil() != null && heldBy == null) {
      heldBy = actor;
      updatedAt = now;
      reason =
          "held by "
              + actor
              + " during a timed pause (until "
              + schedule.pauseUntil()
              + "): it waits for a person; resume returns to the timed pause, promote skips it";
      event(EventType.ACTION, null, null, null, null, actor, "hold requested: " + reason, now);
      return;
    }
    requirePhase(Trigger.PAUSE, "pause", Phase.PROGRESSING);
    event(EventType.ACTION, null, null, null, null, actor, "pause requested", now);
    schedule.pauseUntil(null);
    move(Trigger.PAUSE, actor, "paused by " + actor, now);
  }

  void resume(String actor, boolean resumeCompletesStep, Instant now) {
    requirePhase(Trigger.RESUME, "resume", Phase.PAUSED);
    Instant until = schedule.pauseUntil();
    if (heldBy != null && until != null) {
      // a hold on a timed pause ends: the pause goes on for the time it has left, and ends as
      // every timed pause does (on a passing analysis when the plan judges)
      heldBy = null;
      updatedAt = now;
      reason =
          "hold released by "
              + actor
              + (now.isBefore(until)
                  ? ": the timed pause goes on until " + until
                  : ": the timed pause is over; it ends at the next tick");
      event(EventType.ACTION, null, null, null, null, actor, "resume requested: " + reason, now);
      schedule.dueAt(now);
      return;
    }
    event(EventType.ACTION, null, null, null, null, actor, "resume requested", now);
    heldBy = null;
    clearHook(); // a hook that failed or was waited on is asked afresh
    schedule.pauseUntil(null);
    analysis.forgiven();
    step.waitAgain(now); // and an undecided analysis step waits its maxDuration afresh
    schedule.progressed(now); // time spent paused never counts against progressDeadline
    move(Trigger.RESUME, actor, "resumed by " + actor, now);
    if (resumeCompletesStep && step.entered()) {
      stepCompleted(now);
    }
    schedule.dueAt(now);
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
            : "promotion requested: skipping step " + (step.index() + 1),
        now);
    schedule.pauseUntil(null);
    heldBy = null;
    analysis.vouchedFor(); // traffic may rise without a passing analysis: a person said so
    if (phase == Phase.PAUSED) {
      move(Trigger.RESUME, actor, (full ? "fully promoted by " : "promoted by ") + actor, now);
    }
    if (full) {
      step.skipTo(stepCount);
      schedule.progressed(now);
    } else {
      stepCompleted(now);
    }
    schedule.dueAt(now);
  }

  /**
   * A person allowed to answer the current approval step approved it: the step is done and the
   * rollout goes on (a paused one resumes: an approval is a go).
   */
  void approve(String actor, @Nullable String why, Instant now) {
    requirePhase(Trigger.RESUME, "approve", Phase.PROGRESSING, Phase.PAUSED);
    event(
        EventType.APPROVAL,
        null,
        null,
        null,
        null,
        actor,
        "step " + (step.index() + 1) + " approved by " + actor + (why == null ? "" : ": " + why),
        now,
        NotificationEvent.APPROVED);
    schedule.pauseUntil(null);
    heldBy = null;
    if (phase == Phase.PAUSED) {
      schedule.progressed(now);
      move(Trigger.RESUME, actor, "approved by " + actor, now);
    }
    stepCompleted(now);
    schedule.dueAt(now);
  }

  /** A person allowed to answer the current approval step rejected the release: roll back. */
  void reject(String actor, String why, Instant now) {
    requirePhase(Trigger.ROLL_BACK, "reject", Phase.PROGRESSING, Phase.PAUSED);
    String what = "step " + (step.index() + 1) + " rejected by " + actor + ": " + why;
    event(EventType.APPROVAL, null, null, null, null, actor, what, now);
    rollBack(RollbackCause.REJECTED, what, actor, now);
    schedule.dueAt(now);
  }

  void abort(String actor, Instant now) {
    requirePhase(Trigger.ROLL_BACK, "abort", Phase.PENDING, Phase.PROGRESSING, Phase.PAUSED);
    event(EventType.ACTION, null, null, null, null, actor, "abort requested", now);
    abortRequested = true;
    rollBack(RollbackCause.ABORTED, "aborted by " + actor, actor, now);
    schedule.dueAt(now);
  }

  void retry(String actor, Instant now) {
    requirePhase(Trigger.RETRY, "retry", Phase.ROLLED_BACK, Phase.ABORTED, Phase.FAILED);
    event(EventType.ACTION, null, null, null, null, actor, "retry requested", now);
    move(Trigger.RETRY, actor, "retried by " + actor + " from the first step", now);
    abortRequested = false;
    rollbackCause = null;
    heldBy = null;
    clearHook();
    step.restart();
    traffic.want(0);
    traffic.resetRouterFailures();
    analysis.reset();
    finishedAt = null;
    schedule.restart(now);
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
      case PAUSED -> heldBy != null ? ": it is held by " + heldBy + " already" : ": it is paused";
      case PROGRESSING -> ": it is progressing";
    };
  }

  // ---- reading ----------------------------------------------------------------------------------

  UUID id() {
    return id;
  }

  String planName() {
    return planName;
  }

  int planRevision() {
    return planRevision;
  }

  String planSpec() {
    return planSpec;
  }

  Phase phase() {
    return phase;
  }

  boolean abortRequested() {
    return abortRequested;
  }

  int stepIndex() {
    return step.index();
  }

  boolean stepEntered() {
    return step.entered();
  }

  @Nullable Instant stepWaitingSince() {
    return step.waitingSince();
  }

  @Nullable Instant stepStartedAt() {
    return step.startedAt();
  }

  int stepSuccesses() {
    return step.successes();
  }

  int desiredWeight() {
    return traffic.desired();
  }

  int canaryWeight() {
    return traffic.current();
  }

  boolean weightVerified() {
    return traffic.verified();
  }

  @Nullable Instant weightChangedAt() {
    return traffic.changedAt();
  }

  /** Whether this rollout has not yet applied any weight. */
  boolean trafficUntouched() {
    return traffic.untouched();
  }

  @Nullable Instant pauseUntil() {
    return schedule.pauseUntil();
  }

  /** Why the release gate holds its traffic (a freeze, outside its windows), or null. */
  @Nullable String gateHold() {
    return gateHold;
  }

  /** Who holds a timed pause (its timer does not end it), or null. */
  @Nullable String heldBy() {
    return heldBy;
  }

  /** Whether the rollout waits for a person, not for a timer: paused with no timer, or held. */
  boolean waitsForPerson() {
    return phase == Phase.PAUSED && (schedule.pauseUntil() == null || heldBy != null);
  }

  @Nullable RollbackCause rollbackCause() {
    return rollbackCause;
  }

  int failures() {
    return analysis.failures();
  }

  int inconclusives() {
    return analysis.inconclusives();
  }

  int consecutiveErrors() {
    return analysis.consecutiveErrors();
  }

  int routerFailures() {
    return traffic.routerFailures();
  }

  @Nullable Instant lastProgressAt() {
    return schedule.lastProgressAt();
  }

  @Nullable Instant lastAnalysisEnd() {
    return analysis.lastEnd();
  }

  /** Whether the last analysis at the current weight passed. */
  boolean lastAnalysisPassed() {
    return analysis.lastOutcome() == AnalysisOutcome.SUCCESS;
  }

  @Nullable String lastVerdict() {
    return analysis.lastVerdict();
  }

  @Nullable Double lastScore() {
    return analysis.lastScore();
  }

  JudgeState judgeState() {
    return analysis.judgeState();
  }

  @Nullable String reason() {
    return reason;
  }

  Map<String, String> canary() {
    return release.canary();
  }

  Map<String, String> baseline() {
    return release.baseline();
  }

  Map<String, String> metadata() {
    return release.metadata();
  }

  @Nullable String requestFingerprint() {
    return release.requestFingerprint();
  }

  @Nullable Instant nextTickAt() {
    return schedule.nextTickAt();
  }

  String createdBy() {
    return release.createdBy();
  }

  Instant createdAt() {
    return createdAt;
  }

  Instant updatedAt() {
    return updatedAt;
  }

  @Nullable Instant finishedAt() {
    return finishedAt;
  }
}
