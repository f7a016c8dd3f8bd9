package dev.aviary.controller.rollout;

/** A trigger the lifecycle does not allow in the rollout's phase. */
final class IllegalTransitionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Phase phase;
  private final Trigger trigger;

  IllegalTransitionException(Phase phase, Trigger trigger, String why) {
    super(why);
    this.phase = phase;
    this.trigger = trigger;
  }

  public Phase phase() {
    return phase;
  }

  public Trigger trigger() {
    return trigger;
  }
}
