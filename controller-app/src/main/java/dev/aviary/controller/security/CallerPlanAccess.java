package dev.aviary.controller.security;

import dev.aviary.controller.plan.PlanService;
import dev.aviary.controller.platform.ForbiddenException;
import dev.aviary.controller.platform.PlanAccess;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/** Holds a scoped pipeline token to the plans it was issued for. */
@Component
class CallerPlanAccess implements PlanAccess {

  private final PlanService plans;

  CallerPlanAccess(PlanService plans) {
    this.plans = plans;
  }

  @Override
  public void check(String plan) {
    Optional<Caller> caller = CallerActors.currentCaller().filter(Caller::scoped);
    if (caller.isEmpty() || plan == null) {
      return;
    }
    Map<String, String> labels = plans.labelsOf(plan).orElse(Map.of());
    if (!caller.get().permits(plan, labels)) {
      throw new ForbiddenException(
          caller.get().actor() + " may not start or read rollouts of plan '" + plan + "'");
    }
  }

  @Override
  public Optional<Set<String>> visiblePlans() {
    Optional<Caller> caller = CallerActors.currentCaller().filter(Caller::scoped);
    if (caller.isEmpty()) {
      return Optional.empty();
    }
    Set<String> visible = new TreeSet<>(caller.get().plans());
    if (!caller.get().planSelector().isEmpty()) {
      visible.addAll(plans.namesWithLabels(caller.get().planSelector()));
    }
    return Optional.of(visible);
  }
}
