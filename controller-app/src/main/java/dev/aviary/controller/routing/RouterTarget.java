package dev.aviary.controller.routing;

/**
 * Who a router is driven for.
 *
 * @param plan the plan's name
 * @param rollout the rollout's id, or null outside a rollout
 */
public record RouterTarget(String plan, String rollout) {}
