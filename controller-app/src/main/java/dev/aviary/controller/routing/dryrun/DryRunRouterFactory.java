package dev.aviary.controller.routing.dryrun;

import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.controller.routing.RouterTarget;
import dev.aviary.controller.routing.TrafficRouter;
import dev.aviary.controller.routing.TrafficRouterFactory;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Moves no traffic: records the weights a plan would set, so a plan can be tried safely. It takes
 * no settings.
 */
@Component
class DryRunRouterFactory implements TrafficRouterFactory {

  static final String TYPE = "dry-run";

  private final DryRunLedger ledger;

  DryRunRouterFactory(DryRunLedger ledger) {
    this.ledger = ledger;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Set<RouterCapability> capabilities() {
    return EnumSet.of(RouterCapability.WEIGHTED_SPLIT);
  }

  @Override
  public List<SettingViolation> validate(Map<String, ?> settings) {
    List<SettingViolation> violations = new ArrayList<>();
    new SettingsReader(settings, violations).rejectUnknown();
    return violations;
  }

  @Override
  public TrafficRouter create(RouterTarget target, Map<String, ?> settings) {
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
