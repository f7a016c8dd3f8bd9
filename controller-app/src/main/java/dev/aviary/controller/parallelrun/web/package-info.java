/**
 * {@code POST /api/v1/plans/{name}/comparisons} (what comparing proxies and experiments report) and
 * {@code GET /api/v1/rollouts/{id}/comparisons} (a rollout's parallel run, for people and the CLI).
 */
@NullMarked
package dev.aviary.controller.parallelrun.web;

import org.jspecify.annotations.NullMarked;
