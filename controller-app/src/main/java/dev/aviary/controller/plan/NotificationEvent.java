package dev.aviary.controller.plan;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a rollout did that someone may want to hear of. A plan's notification channels each pick the
 * ones they are told of ({@code "on": ["rolledBack", "approvalNeeded"]}).
 */
public enum NotificationEvent {
  /** The scheduler started the rollout: traffic may move from now on. */
  STARTED,
  /** A step is done and the next one began (the last step's end is {@link #PROMOTED}). */
  STEP_COMPLETED,
  /** An analysis found the canary worse (a rollback or a pause follows, per the plan). */
  ANALYSIS_FAILED,
  /** The rollout paused: a pause step, a person, an inconclusive analysis, a timeout. */
  PAUSED,
  /** A paused rollout goes on. */
  RESUMED,
  /** An approval step waits for an answer. */
  APPROVAL_NEEDED,
  /** Someone approved an approval step. */
  APPROVED,
  /** A freeze or the plan's release windows hold its traffic where it is. */
  HELD,
  /** The canary took all traffic: the release is done. */
  PROMOTED,
  /** Traffic is going back to stable (the cause is in the reason). */
  ROLLING_BACK,
  /** Traffic is back on stable after the canary failed or was rejected. */
  ROLLED_BACK,
  /** Traffic is back on stable because a person aborted. */
  ABORTED,
  /** The router could not be driven; a person must look. */
  FAILED;

  private static final Map<String, NotificationEvent> BY_KEY =
      Arrays.stream(values())
          .collect(Collectors.toMap(NotificationEvent::key, Function.identity()));

  /** Every event: what a webhook hears when its plan does not say. */
  public static final Set<NotificationEvent> ALL = EnumSet.allOf(NotificationEvent.class);

  /** Ends of a rollout. */
  public static final Set<NotificationEvent> ENDS =
      EnumSet.of(PROMOTED, ROLLED_BACK, ABORTED, FAILED);

  /** How the event is written in plans and payloads: {@code stepCompleted}, {@code rolledBack}. */
  public String key() {
    String[] words = name().toLowerCase(Locale.ROOT).split("_", -1);
    StringBuilder key = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      key.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return key.toString();
  }

  public static Optional<NotificationEvent> ofKey(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }

  /** The keys of every event, in order, for messages. */
  public static String keys() {
    return Arrays.stream(values()).map(NotificationEvent::key).collect(Collectors.joining(", "));
  }
}
