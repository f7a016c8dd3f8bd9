package dev.aviary.controller.rollout.web;

import org.jspecify.annotations.Nullable;

/**
 * Where a plan's next release goes.
 *
 * @param plan the plan
 * @param slot the router's server group to deploy the new version to, then release to: {@code
 *     canary} or {@code stable}
 * @param live the group the last promoted release runs on; absent before the first promotion
 */
record NextSlotResponse(String plan, String slot, @Nullable String live) {}
