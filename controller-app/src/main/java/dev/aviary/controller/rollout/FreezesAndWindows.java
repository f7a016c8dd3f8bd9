package dev.aviary.controller.rollout;

import dev.aviary.controller.freeze.ConcurrencyLimits;
import dev.aviary.controller.freeze.Freeze;
import dev.aviary.controller.freeze.Freezes;
import dev.aviary.controller.plan.PlanSpec;
import dev.aviary.controller.plan.ReleaseWindow;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The release gate: the freezes that cover a plan first, then the plan's release windows; and the
 * concurrency limits before a rollout begins.
 */
@Component
class FreezesAndWindows implements ReleaseGate {

  private final Freezes freezes;
  private final ConcurrencyLimits limits;

  FreezesAndWindows(Freezes freezes, ConcurrencyLimits limits) {
    this.freezes = freezes;
    this.limits = limits;
  }

  @Override
  public Optional<String> notYet(UUID rollout, PlanSpec plan, Instant createdAt) {
    return limits.waitReason(rollout, plan.labels(), createdAt);
  }

  @Override
  public Optional<String> closed(PlanSpec plan, Instant now) {
    List<Freeze> frozen = freezes.inForce(plan.labels(), now);
    if (!frozen.isEmpty()) {
      return Optional.of(String.join("; ", frozen.stream().map(Freeze::describe).toList()));
    }
    return ReleaseWindow.closedReason(plan.windows(), now);
  }
}
