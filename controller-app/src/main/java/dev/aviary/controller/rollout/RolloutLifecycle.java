package dev.aviary.controller.rollout;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rollout lifecycle, declared once: which trigger takes which phase where. Anything not in this
 * table cannot happen ({@link Rollout} moves only through {@link #next}). docs/lifecycle.md is
 * generated from it.
 */
final class RolloutLifecycle {

  private static final Map<Phase, Map<Trigger, Phase>> TABLE = new EnumMap<>(Phase.class);

  static {
    on(Phase.PENDING, Trigger.START, Phase.PROGRESSING);
    on(Phase.PENDING, Trigger.ROLL_BACK, Phase.ROLLING_BACK);
    on(Phase.PROGRESSING, Trigger.PAUSE, Phase.PAUSED);
    on(Phase.PROGRESSING, Trigger.SUCCEED, Phase.SUCCEEDED);
    on(Phase.PROGRESSING, Trigger.ROLL_BACK, Phase.ROLLING_BACK);
    on(Phase.PAUSED, Trigger.RESUME, Phase.PROGRESSING);
    on(Phase.PAUSED, Trigger.ROLL_BACK, Phase.ROLLING_BACK);
    on(Phase.ROLLING_BACK, Trigger.ROLLED_BACK, Phase.ROLLED_BACK);
    on(Phase.ROLLING_BACK, Trigger.ABORTED, Phase.ABORTED);
    on(Phase.ROLLING_BACK, Trigger.FAIL, Phase.FAILED);
    on(Phase.ROLLED_BACK, Trigger.RETRY, Phase.PENDING);
    on(Phase.ABORTED, Trigger.RETRY, Phase.PENDING);
    on(Phase.FAILED, Trigger.RETRY, Phase.PENDING);
  }

  private RolloutLifecycle() {}

  private static void on(Phase from, Trigger trigger, Phase to) {
    TABLE.computeIfAbsent(from, p -> new EnumMap<>(Trigger.class)).put(trigger, to);
  }

  /** Where {@code trigger} takes a rollout in phase {@code from}, or empty if it cannot. */
  public static Optional<Phase> next(Phase from, Trigger trigger) {
    return Optional.ofNullable(TABLE.getOrDefault(from, Map.of()).get(trigger));
  }

  /** The table as a Mermaid state diagram, the body of docs/lifecycle.md. */
  public static String mermaid() {
    StringBuilder sb = new StringBuilder("stateDiagram-v2\n    [*] --> PENDING\n");
    TABLE.forEach(
        (from, moves) ->
            moves.forEach(
                (trigger, to) ->
                    sb.append("    ")
                        .append(from)
                        .append(" --> ")
                        .append(to)
                        .append(" : ")
                        .append(trigger)
                        .append('\n')));
    for (Phase p : Phase.values()) {
      if (p == Phase.SUCCEEDED) {
        sb.append("    ").append(p).append(" --> [*]\n");
      }
    }
    return sb.toString();
  }

  /** The whole table, for documentation and for tests that every transition is exercised. */
  public static Map<Phase, Map<Trigger, Phase>> table() {
    Map<Phase, Map<Trigger, Phase>> copy = new EnumMap<>(Phase.class);
    TABLE.forEach(
        (phase, moves) -> copy.put(phase, Collections.unmodifiableMap(new EnumMap<>(moves))));
    return Collections.unmodifiableMap(copy);
  }
}
