package dev.aviary.controller.rollout;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a hook at a gate answered.
 *
 * @param kind go, wait (ask again later), no-go, a call that failed but may pass later, or one that
 *     will not pass (a 4xx, a refused destination)
 * @param detail the receiver's reason, or why the call failed
 * @param retryAfter for wait: when to ask again, if the receiver said
 */
record HookAnswer(Kind kind, String detail, @Nullable Duration retryAfter) {

  enum Kind {
    GO,
    WAIT,
    NO_GO,
    FAILED,
    REFUSED
  }

  static HookAnswer go(String detail) {
    return new HookAnswer(Kind.GO, detail, null);
  }

  static HookAnswer waiting(String detail, @Nullable Duration retryAfter) {
    return new HookAnswer(Kind.WAIT, detail, retryAfter);
  }

  static HookAnswer noGo(String detail) {
    return new HookAnswer(Kind.NO_GO, detail, null);
  }

  static HookAnswer failed(String detail) {
    return new HookAnswer(Kind.FAILED, detail, null);
  }

  static HookAnswer refused(String detail) {
    return new HookAnswer(Kind.REFUSED, detail, null);
  }
}
