/**
 * Notifications: every rollout transition becomes a webhook delivery in an outbox, written in the
 * transaction of the transition, and delivered with retries by its own job. Exposes nothing;
 * listens to {@link dev.aviary.controller.rollout.RolloutNotice}.
 */
@ApplicationModule(
    displayName = "Notifications",
    allowedDependencies = {"platform", "platform :: web", "platform :: webhook", "plan", "rollout"})
@NullMarked
package dev.aviary.controller.notify;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
