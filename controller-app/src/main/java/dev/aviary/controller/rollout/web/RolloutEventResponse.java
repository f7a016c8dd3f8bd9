package dev.aviary.controller.rollout.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.aviary.controller.rollout.EventType;
import dev.aviary.controller.rollout.Phase;
import dev.aviary.controller.rollout.RolloutEventView;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a rollout's trail; fields that do not apply to its type are left out. In an event
 * stream each event also carries the rollout's state after it.
 *
 * @param id ascending within the rollout; resume after it
 * @param at when
 * @param type CREATED, TRANSITION, WEIGHT, STEP, ANALYSIS, ACTION, DRIFT, ROUTER_ERROR, TICK_ERROR
 * @param fromPhase transitions: the phase before
 * @param toPhase transitions: the phase after
 * @param fromWeight weight changes: the weight before; drift: what the router reported
 * @param toWeight the weight after
 * @param step the step then, numbered as people count and as the event's text does ("step 2: …");
 *     after the last step, the number after it (the promotion)
 * @param stepIndex the same step, zero-based as in the plan's list of steps
 * @param actor who or what: token:&lt;name&gt;, oidc:&lt;subject&gt;, scheduler
 * @param reason in words
 * @param rollout streams only: the rollout's state after the event
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RolloutEventResponse(
    long id,
    Instant at,
    EventType type,
    @Nullable Phase fromPhase,
    @Nullable Phase toPhase,
    @Nullable Integer fromWeight,
    @Nullable Integer toWeight,
    @Nullable Integer step,
    @Nullable Integer stepIndex,
    @Nullable String actor,
    @Nullable String reason,
    @Nullable RolloutState rollout) {

  /**
   * The rollout's state as a stream reports it with each event and at its end.
   *
   * @param phase its phase
   * @param canaryWeight the confirmed weight
   * @param step the current step
   * @param analysis what its analyses added up to
   */
  record RolloutState(
      Phase phase, int canaryWeight, RolloutResponse.Step step, RolloutResponse.Analysis analysis) {

    static RolloutState of(RolloutResponse r) {
      return new RolloutState(r.phase(), r.canaryWeight(), r.step(), r.analysis());
    }
  }

  static RolloutEventResponse of(RolloutEventView e, @Nullable RolloutState state) {
    return new RolloutEventResponse(
        e.id(),
        e.at(),
        e.type(),
        e.fromPhase(),
        e.toPhase(),
        e.fromWeight(),
        e.toWeight(),
        e.step() == null ? null : e.step() + 1,
        e.step(),
        e.actor(),
        e.reason(),
        state);
  }
}
