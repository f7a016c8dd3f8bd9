package dev.aviary.controller.freeze;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * At most {@code maxActive} rollouts at a time of the plans carrying every one of {@code labels}.
 *
 * @param id the limit
 * @param labels the labels a plan must all carry to count (at least one)
 * @param maxActive how many of their rollouts may be under way at once
 * @param reason why, in words
 * @param createdBy who set it
 * @param createdAt when
 */
public record ConcurrencyLimit(
    UUID id,
    Map<String, String> labels,
    int maxActive,
    String reason,
    String createdBy,
    Instant createdAt) {

  public ConcurrencyLimit {
    labels = Map.copyOf(labels);
  }

  /** Whether a plan with {@code planLabels} counts against it. */
  public boolean covers(Map<String, String> planLabels) {
    return labels.entrySet().stream()
        .allMatch(e -> e.getValue().equals(planLabels.get(e.getKey())));
  }

  /** {@code tier=1,team=payments}. */
  public String labelsText() {
    return String.join(
        ",",
        new TreeMap<>(labels)
            .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
  }
}
