package dev.aviary.controller.routing.dryrun;

import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.controller.routing.RouterTarget;
import dev.aviary.controller.routing.Routes;
import dev.aviary.controller.routing.SettingsRouterFactory;
import dev.aviary.controller.routing.TrafficRouter;
import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Moves no traffic: records the weights, header routes and mirroring a plan would set, so a plan
 * can be tried safely. Its one setting is {@code sticky}.
 */
@Component
class DryRunRouterFactory extends SettingsRouterFactory<Boolean> {

  static final String TYPE = "dry-run";

  private final DryRunLedger ledger;

  DryRunRouterFactory(DryRunLedger ledger) {
    super(
        TYPE,
        RouterCapability.WEIGHTED_SPLIT,
        RouterCapability.HEADER_ROUTING,
        RouterCapability.COOKIE_ROUTING,
        RouterCapability.STICKY_SESSIONS,
        RouterCapability.MIRRORING,
        RouterCapability.ALTERNATING_SLOTS);
    this.ledger = ledger;
  }

  /**
   * The dry run has one setting, {@code sticky}, so that a plan for a sticky router can be tried as
   * it is; anything else is unknown.
   */
  @Override
  protected Parsed<Boolean> parse(Map<String, ?> settings) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(settings, violations);
    boolean sticky = r.bool("sticky", false);
    r.rejectUnknown();
    return Parsed.of(sticky, violations);
  }

  /** The dry run's ledger is this process's own database: nothing remote to wait on. */
  @Override
  protected @Nullable String destination(Boolean sticky) {
    return null;
  }

  @Override
  protected TrafficRouter create(RouterTarget target, Boolean sticky) {
    return new TrafficRouter() {
      @Override
      public void setCanaryWeight(int weight) {
        ledger.record(target.plan(), target.rollout(), weight);
      }

      @Override
      public OptionalInt currentCanaryWeight() {
        return ledger.current(target.plan());
      }

      @Override
      public void setRoutes(Routes routes) {
        ledger.recordRoutes(target.plan(), target.rollout(), routes.canonical());
      }

      @Override
      public boolean holds(Routes routes) {
        return ledger
            .routes(target.plan())
            .flatMap(Routes::parse)
            .map(held -> held.sameEffect(routes))
            .orElse(routes.isEmpty());
      }

      @Override
      public void finish(boolean promoted) {
        if (!holds(Routes.NONE)) {
          setRoutes(Routes.NONE);
        }
        ledger.record(target.plan(), target.rollout(), promoted ? 100 : 0);
      }
    };
  }
}
