/**
 * {@code /api/v1/rollouts}: request and response records, the controller, long-polls and event
 * streams.
 */
@NullMarked
package dev.aviary.controller.rollout.web;

import org.jspecify.annotations.NullMarked;
