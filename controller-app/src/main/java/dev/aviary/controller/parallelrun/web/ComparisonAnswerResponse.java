package dev.aviary.controller.parallelrun.web;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The controller's answer to a report.
 *
 * @param rolloutId the plan's active rollout: name it in the next report; null when there is none
 * @param sample the share of requests to compare from now on, 0 to 1
 * @param stored whether this report's counts were stored
 */
@Schema(name = "ComparisonAnswer")
record ComparisonAnswerResponse(@Nullable String rolloutId, double sample, boolean stored) {}
