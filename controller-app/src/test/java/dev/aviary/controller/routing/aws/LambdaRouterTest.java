package dev.aviary.controller.routing.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.controller.routing.RouterException;
import dev.aviary.controller.routing.RouterTarget;
import dev.aviary.controller.routing.TrafficRouter;
import dev.aviary.controller.routing.TrafficRouterContract;
import dev.aviary.controller.routing.TrafficRouterFactory;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.testing.LambdaContractServer;
import dev.aviary.testing.SigV4Verifier;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Lambda router through the AWS SDK against {@link LambdaContractServer}: a contract server,
 * because no AWS emulator can be installed here (moto and LocalStack come from PyPI, which this
 * machine cannot reach). It follows the Lambda API reference for aliases and checks every call's
 * SigV4 signature; invoking the function through the alias is not exercised.
 */
class LambdaRouterTest extends TrafficRouterContract {

  static final String KEY_ID = "AKIALAMBDATEST000001";
  static final String SECRET = "lambda-secret-value-1";

  static LambdaContractServer lambda;

  @BeforeAll
  static void start() {
    lambda = new LambdaContractServer("eu-west-1", new SigV4Verifier.Key(KEY_ID, SECRET, null));
  }

  @AfterAll
  static void stop() {
    lambda.close();
  }

  @BeforeEach
  void freshAlias() {
    lambda.function("checkout", "live", "6", "5", "7");
  }

  @Override
  protected TrafficRouterFactory factory() {
    return new LambdaRouterFactory(
        ProviderContext.of(SecretResolver.fromMap(Map.of("L_KEY", KEY_ID, "L_SECRET", SECRET))));
  }

  @Override
  protected Map<String, Object> settings() {
    Map<String, Object> s = new HashMap<>();
    s.put("region", "eu-west-1");
    s.put("endpoint", lambda.url());
    s.put("function", "checkout");
    s.put("alias", "live");
    s.put("accessKeyId", Map.of("env", "L_KEY"));
    s.put("secretAccessKey", Map.of("env", "L_SECRET"));
    return s;
  }

  /** A rollout releasing version 7. */
  @Override
  protected RouterTarget target() {
    return new RouterTarget(
        "contract", "00000000-0000-0000-0000-000000000004", () -> "c", Map.of("version", "7"));
  }

  @Test
  void theWeightIsTheNewVersionsAdditionalWeightAndTheApiReportsItBack() {
    TrafficRouter router = router();
    router.setCanaryWeight(10);
    assertThat(lambda.alias("checkout", "live"))
        .satisfies(
            a -> {
              assertThat(a.version()).isEqualTo("6");
              assertThat(a.weights()).containsExactly(Map.entry("7", 0.1));
            });
    assertThat(router.currentCanaryWeight()).hasValue(10);
    router.setCanaryWeight(100);
    assertThat(lambda.alias("checkout", "live").version()).isEqualTo("7");
    assertThat(lambda.alias("checkout", "live").weights())
        .as("the old version kept at 0 for the way back")
        .containsExactly(Map.entry("6", 0.0));
    router.finish(false);
    assertThat(lambda.alias("checkout", "live").version()).as("switched back").isEqualTo("6");
    assertThat(lambda.alias("checkout", "live").weights()).isEmpty();
  }

  @Test
  void driftIsSeenAndTheWeightSetAgainOnTheAliasesNewRevision() {
    TrafficRouter router = router();
    router.setCanaryWeight(20);
    lambda.setAlias("checkout", "live", "6", Map.of("7", 0.5));
    assertThat(router.currentCanaryWeight()).hasValue(50);
    router.setCanaryWeight(20); // reads the new revision first
    assertThat(router.currentCanaryWeight()).hasValue(20);
    router.finish(true);
    assertThat(lambda.alias("checkout", "live").version()).isEqualTo("7");
    assertThat(lambda.alias("checkout", "live").weights()).isEmpty();
  }

  @Test
  void aReleaseWithoutAPublishedVersionOrAnUnknownVersionIsFatal() {
    TrafficRouter noVersion =
        factory()
            .create(
                new RouterTarget("contract", "00000000-0000-0000-0000-000000000005"), settings());
    assertThatThrownBy(() -> noVersion.setCanaryWeight(10))
        .isInstanceOf(RouterException.class)
        .hasMessageContaining("--canary version=<version>");
    assertThat(noVersion.currentCanaryWeight())
        .as("outside a rollout: the share of other versions")
        .hasValue(0);
    TrafficRouter unpublished =
        factory()
            .create(
                new RouterTarget("contract", "r", () -> "c", Map.of("version", "9")), settings());
    assertThatThrownBy(() -> unpublished.setCanaryWeight(10))
        .isInstanceOf(RouterException.class)
        .satisfies(e -> assertThat(((RouterException) e).retryable()).isFalse())
        .hasMessageContaining("ResourceNotFoundException");
    lambda.throttleNext(1);
    assertThatThrownBy(() -> router().setCanaryWeight(10))
        .isInstanceOf(RouterException.class)
        .satisfies(e -> assertThat(((RouterException) e).retryable()).isTrue());
  }

  @Test
  void settingsNameEveryProblem() {
    assertThat(
            factory()
                .validate(Map.of("region", "eu-west-1", "function", "bad name!", "alias", "42")))
        .extracting(SettingViolation::field)
        .containsExactlyInAnyOrder("function", "alias");
  }
}
