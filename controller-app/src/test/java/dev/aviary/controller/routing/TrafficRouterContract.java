package dev.aviary.controller.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.kernel.SettingViolation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * What every traffic router promises. Each adapter's test extends this and supplies a live router
 * (a real HAProxy, nginx, HTTP endpoint, or, for Kubernetes, fabric8's mock API server).
 */
public abstract class TrafficRouterContract {

  protected abstract TrafficRouterFactory factory();

  /** Settings for the live router under test. */
  protected abstract Map<String, Object> settings();

  /** False for routers that cannot report their weight (a webhook without a status URL). */
  protected boolean canVerify() {
    return true;
  }

  protected TrafficRouter router() {
    return factory()
        .create(new RouterTarget("contract", "00000000-0000-0000-0000-000000000001"), settings());
  }

  private void assertReads(TrafficRouter router, int expected) {
    OptionalInt current = router.currentCanaryWeight();
    if (canVerify()) {
      assertThat(current).hasValue(expected);
    } else {
      assertThat(current).isEmpty();
    }
  }

  @Test
  void setsEachWeightAndReadsItBack() {
    TrafficRouter router = router();
    for (int weight : List.of(0, 5, 20, 50, 99, 100)) {
      router.setCanaryWeight(weight);
      assertReads(router, weight);
    }
  }

  @Test
  void settingTheSameWeightAgainChangesNothing() {
    TrafficRouter router = router();
    router.setCanaryWeight(30);
    router.setCanaryWeight(30);
    assertReads(router, 30);
  }

  @Test
  void promotionLeavesAllTrafficOnTheCanary() {
    TrafficRouter router = router();
    router.setCanaryWeight(40);
    router.finish(true);
    assertReads(router, 100);
  }

  @Test
  void rollbackLeavesAllTrafficOnStable() {
    TrafficRouter router = router();
    router.setCanaryWeight(40);
    router.finish(false);
    assertReads(router, 0);
  }

  @Test
  void settingsAreValidatedWhenThePlanIsWrittenAndUnknownFieldsNamed() {
    assertThat(factory().validate(settings())).isEmpty();
    Map<String, Object> withTypo = new HashMap<>(settings());
    withTypo.put("wieght", 5);
    assertThat(factory().validate(withTypo))
        .extracting(SettingViolation::field)
        .containsExactly("wieght");
  }

  @Test
  void declaresAWeightedSplit() {
    assertThat(factory().capabilities()).contains(RouterCapability.WEIGHTED_SPLIT);
    assertThat(factory().type()).matches("[a-z][a-z-]*");
  }
}
