package dev.aviary.controller.rollout;

import dev.aviary.controller.plan.PlanService;
import dev.aviary.controller.plan.PlanSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The plan each rollout runs, parsed once per plan revision rather than on every tick. */
@Component
class PlanSnapshots {

  private static final int MAX_CACHED = 2048;

  private final PlanService plans;
  private final Map<String, PlanSpec> cache =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PlanSpec> eldest) {
          return size() > MAX_CACHED;
        }
      };

  PlanSnapshots(PlanService plans) {
    this.plans = plans;
  }

  PlanSpec of(Rollout r) {
    String key = r.planName() + "@" + r.planRevision() + "#" + r.planSpec().hashCode();
    synchronized (cache) {
      PlanSpec cached = cache.get(key);
      if (cached != null) {
        return cached;
      }
    }
    PlanSpec parsed = plans.parseStored(r.planSpec());
    synchronized (cache) {
      cache.put(key, parsed);
    }
    return parsed;
  }
}
