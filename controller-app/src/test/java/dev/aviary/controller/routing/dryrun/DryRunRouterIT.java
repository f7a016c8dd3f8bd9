package dev.aviary.controller.routing.dryrun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.controller.routing.RouterTarget;
import dev.aviary.controller.routing.TrafficRouter;
import dev.aviary.controller.routing.TrafficRouterContract;
import dev.aviary.controller.routing.TrafficRouterFactory;
import dev.aviary.controller.support.AviaryIntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The dry-run router against the real database its ledger lives in. */
@AviaryIntegrationTest
class DryRunRouterIT extends TrafficRouterContract {

  @Autowired DryRunRouterFactory factory;
  @Autowired DryRunLedger ledger;
  private final String plan = "dry-" + UUID.randomUUID().toString().substring(0, 8);

  @Override
  protected TrafficRouterFactory factory() {
    return factory;
  }

  @Override
  protected Map<String, Object> settings() {
    return Map.of();
  }

  @Override
  protected TrafficRouter router() {
    return factory.create(new RouterTarget(plan, null), Map.of());
  }

  @Test
  void recordsEachChangeOnceAndNothingForARepeat() {
    TrafficRouter router = router();
    router.setCanaryWeight(10);
    router.setCanaryWeight(10);
    router.setCanaryWeight(40);
    router.finish(true);
    assertThat(ledger.history(plan)).containsExactly(10, 40, 100);
  }
}
