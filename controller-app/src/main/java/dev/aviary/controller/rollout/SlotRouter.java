package dev.aviary.controller.rollout;

import dev.aviary.controller.routing.Routes;
import dev.aviary.controller.routing.TrafficRouter;
import java.util.OptionalInt;

/**
 * A router seen from a rollout that releases to its {@code stable} group: the rollout's canary
 * weight is the share of that group, so every weight is mirrored, and finishing a promotion leaves
 * all traffic on it.
 */
final class SlotRouter implements TrafficRouter {

  private final TrafficRouter router;

  private SlotRouter(TrafficRouter router) {
    this.router = router;
  }

  /** {@code router} as a rollout releasing to {@code slot} drives it. */
  static TrafficRouter of(TrafficRouter router, Slot slot) {
    return slot == Slot.CANARY ? router : new SlotRouter(router);
  }

  @Override
  public void setCanaryWeight(int weight) {
    router.setCanaryWeight(100 - weight);
  }

  @Override
  public OptionalInt currentCanaryWeight() {
    OptionalInt raw = router.currentCanaryWeight();
    return raw.isPresent() ? OptionalInt.of(100 - raw.getAsInt()) : raw;
  }

  @Override
  public boolean readsWeight() {
    return router.readsWeight();
  }

  @Override
  public void setRoutes(Routes routes) {
    router.setRoutes(routes.flipped());
  }

  @Override
  public boolean holds(Routes routes) {
    return router.holds(routes.flipped());
  }

  @Override
  public void finish(boolean promoted) {
    router.finish(!promoted);
  }
}
