package dev.aviary.controller.freeze;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A release freeze: from {@code from} until {@code until} (or until lifted), plans carrying every
 * one of {@code labels} (every plan when empty) may not raise traffic.
 *
 * @param id the freeze
 * @param reason why, in words
 * @param labels the labels a plan must all carry to be frozen; empty: every plan
 * @param from when it begins
 * @param until when it ends
 * @param createdBy who declared it
 * @param createdAt when
 * @param liftedAt when it was lifted early; null otherwise
 * @param liftedBy who lifted it
 */
public record Freeze(
    UUID id,
    String reason,
    Map<String, String> labels,
    Instant from,
    Instant until,
    String createdBy,
    Instant createdAt,
    @Nullable Instant liftedAt,
    @Nullable String liftedBy) {

  public Freeze {
    labels = Map.copyOf(labels);
  }

  /** Whether it holds plans at {@code at}. */
  public boolean inForce(Instant at) {
    return liftedAt == null && !at.isBefore(from) && at.isBefore(until);
  }

  /** Whether it holds a plan with {@code planLabels}. */
  public boolean covers(Map<String, String> planLabels) {
    return labels.entrySet().stream()
        .allMatch(e -> e.getValue().equals(planLabels.get(e.getKey())));
  }

  /** One line: {@code freeze "Black Friday" on team=payments until ..., declared by token:ops}. */
  public String describe() {
    return "freeze \""
        + reason
        + "\" on "
        + (labels.isEmpty()
            ? "every plan"
            : String.join(
                ",",
                new java.util.TreeMap<>(labels)
                    .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()))
        + " until "
        + until
        + ", declared by "
        + createdBy;
  }
}
