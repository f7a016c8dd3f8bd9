package dev.aviary.controller.rollout;

import dev.aviary.controller.freeze.Freeze;
import dev.aviary.controller.freeze.Freezes;
import dev.aviary.controller.plan.PlanSpec;
import dev.aviary.controller.plan.ReleaseWindow;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The release gate: the freezes that cover a plan first, then the plan's release windows. */
@Component
class FreezesAndWindows implements ReleaseGate {

  private final Freezes freezes;

  FreezesAndWindows(Freezes freezes) {
    this.freezes = freezes;
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
