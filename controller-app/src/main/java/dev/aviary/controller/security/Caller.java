package dev.aviary.controller.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An authenticated caller.
 *
 * @param actor what audit records name: {@code token:<name>} or {@code oidc:<subject>}
 * @param roles the roles granted (before the hierarchy widens them)
 * @param plans for a pipeline token: the plans it may start and read rollouts of (with {@code
 *     planSelector}); both empty means every plan
 * @param planSelector labels a plan must all carry to be in scope
 * @param expiresAt when the credential stops working, if known
 */
public record Caller(
    String actor,
    Set<Role> roles,
    List<String> plans,
    Map<String, String> planSelector,
    @Nullable Instant expiresAt) {

  public Caller {
    roles = Set.copyOf(roles);
    plans = List.copyOf(plans);
    planSelector = Map.copyOf(planSelector);
  }

  /** Whether rollouts are limited to some plans: a scoped pipeline caller. */
  public boolean scoped() {
    return !plans.isEmpty() || !planSelector.isEmpty();
  }

  /** Whether a plan with this name and these labels is in scope. */
  public boolean permits(String plan, Map<String, String> labels) {
    if (!scoped()) {
      return true;
    }
    if (plans.contains(plan)) {
      return true;
    }
    return !planSelector.isEmpty()
        && planSelector.entrySet().stream()
            .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
