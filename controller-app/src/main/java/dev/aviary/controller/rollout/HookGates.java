package dev.aviary.controller.rollout;

import dev.aviary.controller.plan.Hook;
import dev.aviary.kernel.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;

/**
 * The plan's hooks at a gate: each asked in the plan's order until it says go; the gate opens when
 * the last one has. A hook that says wait is asked again when it says (10 s by default, 1 s to 5
 * minutes); a failed call is retried at the next tick after 2, 4, 8 … s (at most a minute) until
 * {@code retries} failures in a row; no-go, a refused call, too many failures or no go within
 * {@code timeout} fail the gate, and the hook's {@code onFailure} rolls back or pauses. The gate in
 * progress is kept with the rollout, so after a restart the same hook is asked again with the same
 * Idempotency-Key.
 */
final class HookGates {

  static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
  static final Duration MIN_WAIT = Duration.ofSeconds(1);
  static final Duration MAX_WAIT = Duration.ofMinutes(5);

  private final HookCalls calls;
  private final JsonMapper json = JsonMapper.builder().build();

  HookGates(HookCalls calls) {
    this.calls = calls;
  }

  /**
   * Whether every hook at {@code point} has said go for the move to {@code nextWeight}; asks the
   * one whose turn it is when it is due. A failure rolls the rollout back or pauses it.
   */
  boolean passed(Tick t, Hook.Point point, int nextWeight) {
    List<Hook> hooks = t.plan.hooksAt(point);
    if (hooks.isEmpty()) {
      return true;
    }
    Rollout r = t.rollout;
    String gate = point.key() + ":" + r.stepIndex() + ":" + nextWeight;
    for (int guard = 0; guard <= hooks.size(); guard++) {
      Hook hook = hooks.get(0);
      if (gate.equals(r.hookGate())) {
        for (Hook h : hooks) {
          if (h.name().equals(r.hookName())) {
            hook = h;
          }
        }
      } else {
        r.hookAsked(gate, hook.name(), t.now, 0, t.now, t.now);
      }
      Instant since = Objects.requireNonNullElse(r.hookSince(), t.now);
      Instant nextAt = Objects.requireNonNullElse(r.hookNextAt(), t.now);
      int failures = r.hookFailures();
      if (t.now.isBefore(nextAt)) {
        return false;
      }
      if (!t.now.isBefore(since.plus(hook.timeout()))) {
        fail(t, hook, "did not say go within " + Durations.format(hook.timeout()));
        return false;
      }
      HookAnswer a =
          calls.ask(
              hook,
              body(t, hook, point, nextWeight, since, failures + 1),
              "aviary-hook-" + r.id() + "-" + hook.name() + "-" + gate);
      switch (a.kind()) {
        case GO -> {
          r.hookPassed(
              hook.name(),
              "said go"
                  + (a.detail().isEmpty() ? "" : ": " + a.detail())
                  + " ("
                  + point.key()
                  + (point == Hook.Point.BEFORE_ROLLOUT ? "" : ", to " + nextWeight + "%")
                  + ")",
              t.now);
          int next = hooks.indexOf(hook) + 1;
          if (next >= hooks.size()) {
            return true;
          }
          r.hookAsked(gate, hooks.get(next).name(), t.now, 0, t.now, t.now);
        }
        case WAIT -> {
          Duration wait = a.retryAfter() == null ? DEFAULT_WAIT : a.retryAfter();
          if (wait.compareTo(MIN_WAIT) < 0) {
            wait = MIN_WAIT;
          } else if (wait.compareTo(MAX_WAIT) > 0) {
            wait = MAX_WAIT;
          }
          r.hookAsked(gate, hook.name(), since, 0, t.now.plus(wait), t.now);
          return false;
        }
        case NO_GO -> {
          fail(t, hook, "said no-go: " + a.detail());
          return false;
        }
        case REFUSED -> {
          fail(t, hook, a.detail());
          return false;
        }
        case FAILED -> {
          int now = failures + 1;
          if (now > hook.retries()) {
            fail(
                t,
                hook,
                a.detail() + " (" + now + (now == 1 ? " failed call)" : " failed calls in a row)"));
          } else {
            Duration backoff = Duration.ofSeconds(Math.min(60, 1L << Math.min(now, 6)));
            r.hookAsked(gate, hook.name(), since, now, t.now.plus(backoff), t.now);
          }
          return false;
        }
      }
    }
    return false;
  }

  private static void fail(Tick t, Hook hook, String why) {
    t.rollout.hookFailed(hook.name(), why, hook.onFailure() == Hook.OnFailure.ROLLBACK, t.now);
  }

  private String body(
      Tick t, Hook hook, Hook.Point point, int nextWeight, Instant since, int attempt) {
    Rollout r = t.rollout;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("hook", hook.name());
    body.put("at", point.key());
    body.put("rollout", r.id().toString());
    body.put("plan", r.planName());
    body.put("canary", r.canary());
    body.put("metadata", r.metadata());
    body.put("weight", r.canaryWeight());
    body.put("nextWeight", nextWeight);
    body.put("step", r.stepIndex() + 1);
    body.put("since", since.toString());
    body.put("attempt", attempt);
    return json.writeValueAsString(body);
  }
}
