package dev.aviary.controller.rollout;

import java.util.List;

/** One page of rollouts, newest first, and how many match in all. */
public record RolloutPage(List<RolloutView> items, long totalItems) {}
