package dev.aviary.controller.plan;

import dev.aviary.kernel.SecretRef;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP call at a fixed point of a rollout. At a gate (before the rollout, before each weight
 * increase, before promotion) the rollout waits until the receiver says go — a load test started
 * and judged, a change ticket checked — and a no-go, silence past {@code timeout} or more than
 * {@code retries} failed calls in a row roll it back or pause it ({@code onFailure}). After
 * promotion and on rollback the call only tells (delivered with the notifications' retries).
 *
 * @param name unique in the plan; in events and the Idempotency-Key
 * @param at when it is called
 * @param url where to POST
 * @param signingSecret when set, the body is signed with HMAC-SHA256 in {@code X-Aviary-Signature}
 * @param timeout gates: how long the receiver may take to say go
 * @param retries gates: failed calls in a row tolerated (each retried at the next tick)
 * @param onFailure gates: what a failure does
 */
public record Hook(
    String name,
    Point at,
    URI url,
    @Nullable SecretRef signingSecret,
    Duration timeout,
    int retries,
    OnFailure onFailure) {

  /** Where in a rollout a hook is called. */
  public enum Point {
    /** Before the rollout starts moving traffic: it stays PENDING at 0 % until go. */
    BEFORE_ROLLOUT(true),
    /** Before each raise of the canary's weight (not the last, to 100 %: that is promotion). */
    BEFORE_WEIGHT_INCREASE(true),
    /** Before the canary takes all traffic. */
    BEFORE_PROMOTION(true),
    /** Once the canary took all traffic: a call that only tells. */
    AFTER_PROMOTION(false),
    /** When the rollout starts rolling back: a call that only tells. */
    ON_ROLLBACK(false);

    private final boolean gate;

    Point(boolean gate) {
      this.gate = gate;
    }

    /** Whether the rollout waits for the hook's go here. */
    public boolean gate() {
      return gate;
    }

    /** As plans write it: {@code beforeWeightIncrease}. */
    public String key() {
      String[] words = name().toLowerCase(Locale.ROOT).split("_", -1);
      StringBuilder key = new StringBuilder(words[0]);
      for (int i = 1; i < words.length; i++) {
        key.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
      }
      return key.toString();
    }
  }

  /** What a gate's failure does. */
  public enum OnFailure {
    /** Roll back: traffic returns to stable, {@code rollbackCause: HOOK_FAILED}. */
    ROLLBACK,
    /** Pause for a person: resume asks the hook again from the start. */
    PAUSE
  }

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
  public static final Duration MAX_TIMEOUT = Duration.ofHours(24);
  public static final int DEFAULT_RETRIES = 2;
}
