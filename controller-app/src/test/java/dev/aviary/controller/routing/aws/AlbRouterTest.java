package dev.aviary.controller.routing.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.controller.routing.RouterException;
import dev.aviary.controller.routing.RouterTarget;
import dev.aviary.controller.routing.TrafficRouter;
import dev.aviary.controller.routing.TrafficRouterContract;
import dev.aviary.controller.routing.TrafficRouterFactory;
import dev.aviary.kernel.SecretResolver;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.testing.AlbContractServer;
import dev.aviary.testing.SigV4Verifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ALB router through the AWS SDK against {@link AlbContractServer}: a contract server, because
 * no AWS emulator can be installed here (moto and LocalStack come from PyPI, which this machine
 * cannot reach). It follows the Elastic Load Balancing v2 API reference and checks every call's
 * SigV4 signature; what a real ALB adds — propagation to its nodes, IAM policies — is not
 * exercised.
 */
class AlbRouterTest extends TrafficRouterContract {

  static final String ACCOUNT = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:";
  static final String LISTENER = ACCOUNT + "listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2";
  static final String RULE =
      ACCOUNT + "listener-rule/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
  static final String BLUE = ACCOUNT + "targetgroup/shop-blue/73e2d6bc24d8a067";
  static final String GREEN = ACCOUNT + "targetgroup/shop-green/2453ed029918f21f";
  static final String KEY_ID = "AKIAALBTEST000000001";
  static final String SECRET = "alb-secret-value-1";

  static AlbContractServer alb;

  @BeforeAll
  static void start() {
    alb = new AlbContractServer("eu-west-1", new SigV4Verifier.Key(KEY_ID, SECRET, null));
    alb.targetGroup(BLUE);
    alb.targetGroup(GREEN);
  }

  @AfterAll
  static void stop() {
    alb.close();
  }

  @BeforeEach
  void freshListenerAndRule() {
    alb.listener(LISTENER, BLUE);
    alb.rule(RULE, BLUE);
  }

  @Override
  protected TrafficRouterFactory factory() {
    return new AlbRouterFactory(
        ProviderContext.of(
            SecretResolver.fromMap(Map.of("ALB_KEY", KEY_ID, "ALB_SECRET", SECRET))));
  }

  @Override
  protected Map<String, Object> settings() {
    Map<String, Object> s = new HashMap<>();
    s.put("region", "eu-west-1");
    s.put("endpoint", alb.url());
    s.put("listenerArn", LISTENER);
    s.put("stableTargetGroup", BLUE);
    s.put("canaryTargetGroup", GREEN);
    s.put("accessKeyId", Map.of("env", "ALB_KEY"));
    s.put("secretAccessKey", Map.of("env", "ALB_SECRET"));
    return s;
  }

  private static String weights(List<AlbContractServer.Action> actions) {
    return actions.stream()
        .filter(a -> a.type().equals("forward"))
        .flatMap(a -> a.targetGroups().stream())
        .map(
            g ->
                g.arn().substring(g.arn().indexOf('/') + 1, g.arn().lastIndexOf('/'))
                    + "="
                    + g.weight())
        .toList()
        .toString();
  }

  @Test
  void theWeightsAviaryWritesAreTheWeightsTheApiReportsBack() {
    TrafficRouter router = router();
    router.setCanaryWeight(20);
    assertThat(weights(alb.listenerActions(LISTENER))).isEqualTo("[shop-blue=80, shop-green=20]");
    assertThat(alb.listenerActions(LISTENER).get(0).targetGroupArn())
        .as("two groups are named in ForwardConfig alone")
        .isNull();
    assertThat(router.currentCanaryWeight()).hasValue(20);
    assertThat(alb.calls()).contains("DescribeListeners", "ModifyListener");
  }

  @Test
  void driftIsSeenAndARuleKeepsItsOtherActions() {
    TrafficRouter router = router();
    router.setCanaryWeight(30);
    alb.setListenerActions(
        LISTENER,
        List.of(
            new AlbContractServer.Action(
                "forward",
                1,
                null,
                List.of(
                    new AlbContractServer.TargetGroup(BLUE, 1),
                    new AlbContractServer.TargetGroup(GREEN, 1)),
                false,
                null,
                Map.of())));
    assertThat(router.currentCanaryWeight()).as("someone set 1:1").hasValue(50);
    router.setCanaryWeight(30);
    assertThat(router.currentCanaryWeight()).hasValue(30);

    Map<String, Object> onRule = new HashMap<>(settings());
    onRule.remove("listenerArn");
    onRule.put("ruleArn", RULE);
    TrafficRouter ruleRouter = factory().create(target(), onRule);
    ruleRouter.setCanaryWeight(10);
    List<AlbContractServer.Action> actions = alb.ruleActions(RULE);
    assertThat(actions)
        .extracting(AlbContractServer.Action::type)
        .containsExactly("authenticate-oidc", "forward");
    assertThat(actions.get(0).other())
        .containsEntry("AuthenticateOidcConfig.Issuer", "https://idp.example");
    assertThat(weights(actions)).isEqualTo("[shop-blue=90, shop-green=10]");
    ruleRouter.finish(true);
    assertThat(weights(alb.ruleActions(RULE))).isEqualTo("[shop-blue=0, shop-green=100]");
  }

  @Test
  void stickySessionsAreTheAlbsTargetGroupStickiness() {
    Map<String, Object> sticky = new HashMap<>(settings());
    sticky.put("sticky", true);
    sticky.put("stickyDuration", "30m");
    factory().create(target(), sticky).setCanaryWeight(40);
    AlbContractServer.Action forward = alb.listenerActions(LISTENER).get(0);
    assertThat(forward.stickiness()).isTrue();
    assertThat(forward.stickinessSeconds()).isEqualTo(1800);
    assertThat(factory().capabilities()).contains(RouterCapability.STICKY_SESSIONS);
  }

  @Test
  void throttlingIsRetryableAndUnknownListenersOrBadKeysFatal() {
    alb.throttleNext(1);
    assertThatThrownBy(() -> router().setCanaryWeight(10))
        .isInstanceOf(RouterException.class)
        .satisfies(e -> assertThat(((RouterException) e).retryable()).isTrue())
        .hasMessageContaining("Throttling");
    Map<String, Object> unknown = new HashMap<>(settings());
    unknown.put("listenerArn", LISTENER.replace("f2f7dc8efc522ab2", "0000000000000000"));
    assertThatThrownBy(() -> factory().create(target(), unknown).setCanaryWeight(10))
        .isInstanceOf(RouterException.class)
        .satisfies(e -> assertThat(((RouterException) e).retryable()).isFalse())
        .hasMessageContaining("ListenerNotFound");
    TrafficRouter wrongKey =
        new AlbRouterFactory(
                ProviderContext.of(
                    SecretResolver.fromMap(Map.of("ALB_KEY", KEY_ID, "ALB_SECRET", "wrong"))))
            .create(target(), settings());
    assertThatThrownBy(wrongKey::currentCanaryWeight)
        .isInstanceOf(RouterException.class)
        .satisfies(e -> assertThat(((RouterException) e).retryable()).isFalse());
  }

  @Test
  void settingsNameEveryProblemAndKeysAreReferencesOnly() {
    assertThat(
            factory()
                .validate(
                    Map.of(
                        "region", "mars",
                        "listenerArn", LISTENER,
                        "ruleArn", RULE,
                        "stableTargetGroup", LISTENER,
                        "canaryTargetGroup", GREEN,
                        "accessKeyId", "AKIAPLAINTEXT",
                        "stickyDuration", "30d")))
        .extracting(SettingViolation::field)
        .contains(
            "region",
            "ruleArn",
            "stableTargetGroup",
            "accessKeyId",
            "secretAccessKey",
            "stickyDuration");
  }

  @Override
  protected RouterTarget target() {
    return new RouterTarget("contract", "00000000-0000-0000-0000-000000000003");
  }
}
