package dev.aviary.controller.rollout;

import dev.aviary.controller.plan.Hook;

/** Asks a hook at a gate: one HTTP call, its answer read. */
@FunctionalInterface
interface HookCalls {

  /** Never asks anything: every hook says go (for tests of other things). */
  HookCalls GO = (hook, body, key) -> HookAnswer.go("");

  /**
   * POSTs {@code body} to the hook, with {@code idempotencyKey} the same on every call of this
   * gate, and reads its answer.
   */
  HookAnswer ask(Hook hook, String body, String idempotencyKey);
}
