package dev.aviary.controller.rollout;

import dev.aviary.controller.plan.PlanSpec;
import dev.aviary.controller.platform.RemoteCalls;
import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.controller.routing.RouterTarget;
import dev.aviary.controller.routing.TrafficRouter;
import dev.aviary.controller.routing.TrafficRouterFactory;
import dev.aviary.controller.routing.TrafficRouters;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where a plan's next release goes ({@link Slot}), and whether the router is in the state a release
 * starts from: none of the traffic on the servers it is about to release to.
 */
@Component
class ReleaseSlots {

  private static final Logger LOG = LoggerFactory.getLogger(ReleaseSlots.class);

  private final TrafficRouters routers;
  private final RemoteCalls remote;
  private final RolloutRepository rollouts;

  ReleaseSlots(TrafficRouters routers, RemoteCalls remote, RolloutRepository rollouts) {
    this.routers = routers;
    this.remote = remote;
    this.rollouts = rollouts;
  }

  /**
   * The slot the plan's next rollout releases to: with a router that alternates, the one its last
   * promoted rollout did not release to; otherwise always the canary servers.
   */
  Slot next(String plan, PlanSpec spec) {
    boolean alternates =
        routers
            .find(spec.router().type())
            .map(f -> f.capabilities().contains(RouterCapability.ALTERNATING_SLOTS))
            .orElse(false);
    if (!alternates) {
      return Slot.CANARY;
    }
    return live(plan).map(Slot::other).orElse(Slot.CANARY);
  }

  /** The slot the plan's last promoted rollout released to; empty before the first promotion. */
  Optional<Slot> live(String plan) {
    return rollouts.lastPromotedSlot(plan).map(Slot::valueOf);
  }

  /**
   * Why a rollout of {@code plan} releasing to {@code slot} must not start — the router already
   * sends those servers traffic, so the release would begin by moving it back — or empty when it
   * may (also when the router cannot tell its weights, or cannot be read now: the first tick reads
   * it again and reconciles).
   */
  Optional<String> startRefusal(String plan, PlanSpec spec, Slot slot) {
    Optional<TrafficRouterFactory> factory = routers.find(spec.router().type());
    if (factory.isEmpty()) {
      return Optional.empty();
    }
    TrafficRouter router =
        SlotRouter.of(
            factory.get().create(new RouterTarget(plan, "start-check"), spec.router().settings()),
            slot);
    if (!router.readsWeight()) {
      return Optional.empty();
    }
    OptionalInt weight;
    try {
      weight =
          remote.call(
              "router-" + spec.router().type() + "-" + plan,
              factory.get().destination(spec.router().settings()),
              router::currentCanaryWeight);
    } catch (RuntimeException e) {
      LOG.warn(
          "plan {}: the router could not be read before the release: {}", plan, e.getMessage());
      return Optional.empty();
    }
    if (weight.isEmpty() || weight.getAsInt() == 0) {
      return Optional.empty();
    }
    return Optional.of(
        "the router sends "
            + weight.getAsInt()
            + "% of the traffic to the "
            + slot.key()
            + " servers, which this release goes to; a release starts with none on them"
            + (slot == Slot.STABLE
                ? " (the last promoted release runs on the canary servers, so this one goes to"
                    + " the stable servers)"
                : "")
            + ". Put all traffic on the "
            + slot.other().key()
            + " servers (or finish the rollout that left the router so), then start again");
  }
}
