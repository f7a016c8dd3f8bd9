package dev.aviary.controller.rollout;

import dev.aviary.controller.plan.PlanSpec;
import dev.aviary.controller.routing.TrafficRouter;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One tick of one rollout: the rollout, the plan it runs, the instant the tick works at, the router
 * it drives (and the name of that router's circuit breaker), and whether the router failed during
 * it.
 */
final class Tick {

  final Rollout rollout;
  final PlanSpec plan;
  final Instant now;
  final TrafficRouter router;
  final String routerBackend;

  /** Where the router's calls go (their lane in {@code RemoteCalls}); null for in-process. */
  final @Nullable String routerDestination;

  boolean routerFailed;

  Tick(
      Rollout rollout,
      PlanSpec plan,
      Instant now,
      TrafficRouter router,
      String routerBackend,
      @Nullable String routerDestination) {
    this.routerDestination = routerDestination;
    this.rollout = rollout;
    this.plan = plan;
    this.now = now;
    this.router = router;
    this.routerBackend = routerBackend;
  }
}
