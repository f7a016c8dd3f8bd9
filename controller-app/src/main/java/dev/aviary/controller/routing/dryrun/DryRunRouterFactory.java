package dev.aviary.controller.routing.dryrun;

import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.controller.routing.RouterTarget;
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
 * Moves no traffic: records the weights a plan would set, so a plan can be tried safely. It takes
 * no settings.
 */
@Component
class DryRunRouterFactory extends SettingsRouterFactory<Boolean> {

  static final String TYPE = "dry-run";

  private final DryRunLedger ledger;

  DryRunRouterFactory(DryRunLedger ledger) {
    super(TYPE, RouterCapability.WEIGHTED_SPLIT, RouterCapability.ALTERNATING_SLOTS);
    this.ledger = ledger;
  }

  /** The dry run has no settings: anything given is unknown. */
  @Override
  protected Parsed<Boolean> parse(Map<String, ?> settings) {
    List<SettingViolation> violations = new ArrayList<>();
    new SettingsReader(settings, violations).rejectUnknown();
    return Parsed.of(Boolean.TRUE, violations);
  }

  /** The dry run's ledger is this process's own database: nothing remote to wait on. */
  @Override
  protected @Nullable String destination(Boolean none) {
    return null;
  }

  @Override
  protected TrafficRouter create(RouterTarget target, Boolean none) {
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
      public void finish(boolean promoted) {
        ledger.record(target.plan(), target.rollout(), promoted ? 100 : 0);
      }
    };
  }
}
