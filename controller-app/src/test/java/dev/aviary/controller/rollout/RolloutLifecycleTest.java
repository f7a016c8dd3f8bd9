package dev.aviary.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle through the rollout's own intention methods: each legal transition happens, each
 * other is refused, and the suite fails if a transition of the table is never visited.
 */
class RolloutLifecycleTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static final Set<String> VISITED = new HashSet<>();

  private static Rollout pending() {
    return Rollout.create(
        UUID.randomUUID(),
        "checkout",
        1,
        "{}",
        new Release(Map.of("version", "2"), Map.of(), Map.of(), null, null, "alice"),
        Slot.CANARY,
        T0);
  }

  /** Records the transitions the rollout's events report. */
  private static Rollout track(Rollout r) {
    for (EventDraft e : r.drainEvents()) {
      if (e.type() == EventType.TRANSITION) {
        VISITED.add(e.fromPhase() + ">" + e.toPhase());
      }
    }
    return r;
  }

  @Test
  void timeSpentPausedDoesNotCountAgainstTheProgressDeadline() {
    Rollout r = pending();
    r.begin(T0);
    r.pause("token:alice", T0.plusSeconds(60));
    r.resume("token:alice", false, T0.plus(Duration.ofHours(3)));
    assertThat(r.phase()).isEqualTo(Phase.PROGRESSING);
    assertThat(r.lastProgressAt()).isEqualTo(T0.plus(Duration.ofHours(3)));
    track(r);
  }

  @Test
  void aHealthyRolloutStartsPausesResumesAndSucceeds() {
    Rollout r = pending();
    r.begin(T0);
    r.pauseForStep(Duration.ofSeconds(30), T0);
    assertThat(r.phase()).isEqualTo(Phase.PAUSED);
    assertThat(r.pauseUntil()).isEqualTo(T0.plusSeconds(30));
    r.timedPauseEnded(T0.plusSeconds(30));
    assertThat(r.stepIndex()).isEqualTo(1);
    r.succeeded("promoted", T0.plusSeconds(31));
    assertThat(r.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(r.finishedAt()).isEqualTo(T0.plusSeconds(31));
    assertThat(r.nextTickAt()).isNull();
    track(r);
  }

  @Test
  void aFailingCanaryRollsBackAndCanBeRetriedFromTheFirstStep() {
    Rollout r = pending();
    r.begin(T0);
    r.stepCompleted(T0);
    r.rollBack(RollbackCause.CANARY_FAILED, "error rate too high", "scheduler", T0);
    assertThat(r.desiredWeight()).isZero();
    r.rolledBack(T0.plusSeconds(1));
    assertThat(r.phase()).isEqualTo(Phase.ROLLED_BACK);
    track(r);
    r.retry("bob", T0.plusSeconds(2));
    assertThat(r.phase()).isEqualTo(Phase.PENDING);
    assertThat(r.stepIndex()).isZero();
    assertThat(r.failures()).isZero();
    assertThat(r.finishedAt()).isNull();
    assertThat(r.nextTickAt()).isEqualTo(T0.plusSeconds(2));
    track(r);
  }

  @Test
  void aPersonAbortsAPendingRolloutAndRetriesIt() {
    Rollout r = pending();
    r.abort("carol", T0);
    assertThat(r.phase()).isEqualTo(Phase.ROLLING_BACK);
    assertThat(r.abortRequested()).isTrue();
    r.rolledBack(T0);
    assertThat(r.phase()).isEqualTo(Phase.ABORTED);
    track(r);
    r.retry("carol", T0);
    assertThat(r.abortRequested()).isFalse();
    track(r);
  }

  @Test
  void aRouterThatCannotBeDrivenBackFailsTheRollout() {
    Rollout r = pending();
    r.begin(T0);
    r.pause("dave", T0);
    assertThat(r.phase()).isEqualTo(Phase.PAUSED);
    r.abort("dave", T0);
    r.failed("router unreachable", T0);
    assertThat(r.phase()).isEqualTo(Phase.FAILED);
    track(r);
    r.retry("dave", T0);
    assertThat(r.phase()).isEqualTo(Phase.PENDING);
    track(r);
  }

  @Test
  void aPersonsHoldOnATimedPauseWaitsForThemAndResumeReturnsToThePauseWithTheTimeItHasLeft() {
    Rollout r = pending();
    r.begin(T0);
    r.enterStep("pause 10m", T0);
    r.pauseForStep(Duration.ofMinutes(10), T0);
    assertThat(r.waitsForPerson()).as("a timed pause ends by itself").isFalse();

    r.pause("token:frank", T0.plusSeconds(60));
    assertThat(r.phase()).isEqualTo(Phase.PAUSED);
    assertThat(r.heldBy()).isEqualTo("token:frank");
    assertThat(r.waitsForPerson()).isTrue();
    assertThat(r.reason()).startsWith("held by token:frank during a timed pause");
    assertThatThrownBy(() -> r.pause("token:frank", T0.plusSeconds(61)))
        .as("a held pause is not held twice")
        .isInstanceOf(IllegalTransitionException.class);

    r.resume("token:frank", true, T0.plusSeconds(120));
    assertThat(r.phase()).as("resume returns to the timed pause").isEqualTo(Phase.PAUSED);
    assertThat(r.heldBy()).isNull();
    assertThat(r.pauseUntil()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    assertThat(r.stepIndex()).as("the bake is not skipped").isZero();
    assertThat(r.waitsForPerson()).isFalse();

    r.pause("token:frank", T0.plusSeconds(180));
    r.promote(false, 3, "token:frank", T0.plusSeconds(200));
    assertThat(r.phase()).as("promote skips a held pause").isEqualTo(Phase.PROGRESSING);
    assertThat(r.heldBy()).isNull();
    assertThat(r.stepIndex()).isEqualTo(1);
    track(r);
  }

  @Test
  void whyARolloutWentBackToStableIsKeptUntilItIsRetried() {
    Rollout r = pending();
    r.begin(T0);
    r.rollBack(RollbackCause.NOT_JUDGED, "metrics unavailable", "scheduler", T0);
    r.rolledBack(T0.plusSeconds(1));
    assertThat(r.rollbackCause()).isEqualTo(RollbackCause.NOT_JUDGED);
    r.retry("gina", T0.plusSeconds(2));
    assertThat(r.rollbackCause()).isNull();
    r.abort("gina", T0.plusSeconds(3));
    assertThat(r.rollbackCause()).isEqualTo(RollbackCause.ABORTED);
    track(r);
  }

  @Test
  void aPersonResumesAPauseStepAndItCountsAsDone() {
    Rollout r = pending();
    r.begin(T0);
    r.enterStep("pause until resumed", T0);
    r.pauseForStep(null, T0);
    r.resume("erin", true, T0.plusSeconds(5));
    assertThat(r.phase()).isEqualTo(Phase.PROGRESSING);
    assertThat(r.stepIndex()).isEqualTo(1);
    track(r);
  }

  @Test
  void promotingFullySkipsEveryRemainingStep() {
    Rollout r = pending();
    r.begin(T0);
    r.pause("frank", T0);
    r.promote(true, 5, "frank", T0);
    assertThat(r.phase()).isEqualTo(Phase.PROGRESSING);
    assertThat(r.stepIndex()).isEqualTo(5);
    track(r);
  }

  @Test
  void everyActionRecordsItsActor() {
    Rollout r = pending();
    r.begin(T0);
    r.drainEvents();
    r.pause("grace", T0);
    List<EventDraft> events = r.drainEvents();
    assertThat(events).extracting(EventDraft::actor).containsOnly("grace");
    assertThat(events)
        .extracting(EventDraft::type)
        .containsExactly(EventType.ACTION, EventType.TRANSITION);
    track(r);
  }

  @Test
  void actionsThatMakeNoSenseInAPhaseAreRefusedWithAReason() {
    Map<Phase, Consumer<Rollout>> reach =
        Map.of(
            Phase.PENDING, r -> {},
            Phase.PROGRESSING, r -> r.begin(T0),
            Phase.PAUSED,
                r -> {
                  r.begin(T0);
                  r.pause("x", T0);
                },
            Phase.SUCCEEDED,
                r -> {
                  r.begin(T0);
                  r.succeeded("done", T0);
                },
            Phase.ROLLING_BACK, r -> r.abort("x", T0),
            Phase.ROLLED_BACK,
                r -> {
                  r.begin(T0);
                  r.rollBack(RollbackCause.CANARY_FAILED, "bad", "scheduler", T0);
                  r.rolledBack(T0);
                },
            Phase.ABORTED,
                r -> {
                  r.abort("x", T0);
                  r.rolledBack(T0);
                },
            Phase.FAILED,
                r -> {
                  r.abort("x", T0);
                  r.failed("router", T0);
                });
    Map<String, Set<Phase>> allowed =
        Map.of(
            "pause", EnumSet.of(Phase.PROGRESSING),
            "resume", EnumSet.of(Phase.PAUSED),
            "promote", EnumSet.of(Phase.PROGRESSING, Phase.PAUSED),
            "abort", EnumSet.of(Phase.PENDING, Phase.PROGRESSING, Phase.PAUSED),
            "retry", EnumSet.of(Phase.ROLLED_BACK, Phase.ABORTED, Phase.FAILED));
    Map<String, Consumer<Rollout>> actions =
        Map.of(
            "pause", r -> r.pause("x", T0),
            "resume", r -> r.resume("x", false, T0),
            "promote", r -> r.promote(false, 3, "x", T0),
            "abort", r -> r.abort("x", T0),
            "retry", r -> r.retry("x", T0));
    List<String> checked = new ArrayList<>();
    for (Phase phase : Phase.values()) {
      for (String action : actions.keySet()) {
        Rollout r = pending();
        reach.get(phase).accept(r);
        assertThat(r.phase()).isEqualTo(phase);
        if (allowed.get(action).contains(phase)) {
          actions.get(action).accept(r);
        } else {
          assertThatThrownBy(() -> actions.get(action).accept(r))
              .isInstanceOf(IllegalTransitionException.class)
              .hasMessageContaining("cannot " + action)
              .hasMessageContaining(phase.name());
        }
        checked.add(phase + ":" + action);
      }
    }
    assertThat(checked).hasSize(Phase.values().length * actions.size());
  }

  @Test
  void theSchedulerCannotSkipAcrossTheTable() {
    Rollout paused = pending();
    paused.begin(T0);
    paused.pause("x", T0);
    assertThatThrownBy(() -> paused.succeeded("x", T0))
        .isInstanceOf(IllegalTransitionException.class);
    Rollout done = pending();
    done.begin(T0);
    done.succeeded("x", T0);
    assertThatThrownBy(() -> done.rollBack(RollbackCause.CANARY_FAILED, "late", "scheduler", T0))
        .isInstanceOf(IllegalTransitionException.class);
    assertThatThrownBy(() -> pending().rolledBack(T0))
        .isInstanceOf(IllegalTransitionException.class);
  }

  @Test
  void theLifecycleDiagramInDocsIsGeneratedFromTheTable() throws Exception {
    Path doc = Path.of("..", "docs", "lifecycle.md");
    String expected = "```mermaid\n" + RolloutLifecycle.mermaid() + "```";
    assertThat(Files.readString(doc))
        .as(
            "docs/lifecycle.md must hold the diagram generated from RolloutLifecycle:%n%s",
            expected)
        .contains(expected);
  }

  @AfterAll
  static void everyTransitionOfTheTableWasVisited() {
    Set<String> table = new HashSet<>();
    RolloutLifecycle.table()
        .forEach((from, moves) -> moves.values().forEach(to -> table.add(from + ">" + to)));
    assertThat(VISITED).as("transitions no test visits").containsAll(table);
  }
}
