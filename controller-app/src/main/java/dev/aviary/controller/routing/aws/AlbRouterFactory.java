package dev.aviary.controller.routing.aws;

import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.http.AwsAuth;
import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.controller.routing.RouterException;
import dev.aviary.controller.routing.RouterTarget;
import dev.aviary.controller.routing.SettingsRouterFactory;
import dev.aviary.controller.routing.TrafficRouter;
import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupStickinessConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * An AWS Application Load Balancer: the weights of two target groups in the {@code forward} action
 * of a listener's default actions ({@code listenerArn}) or of one listener rule ({@code ruleArn}),
 * changed with {@code ModifyListener} / {@code ModifyRule} and read back with {@code
 * DescribeListeners} / {@code DescribeRules}. Every other action, and every other field of the
 * forward action, is written back as it was read.
 *
 * <pre>{@code
 * "router": {"type": "alb", "region": "eu-west-1",
 *            "listenerArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/…",
 *            "stableTargetGroup": "arn:aws:elasticloadbalancing:…:targetgroup/shop-blue/…",
 *            "canaryTargetGroup": "arn:aws:elasticloadbalancing:…:targetgroup/shop-green/…",
 *            "sticky": true, "stickyDuration": "1h",
 *            "accessKeyId": {"env": "AWS_KEY"}, "secretAccessKey": {"env": "AWS_SECRET"}}
 * }</pre>
 */
@Component
class AlbRouterFactory extends SettingsRouterFactory<AlbRouterFactory.Settings> {

  static final String TYPE = "alb";
  private static final Pattern ARN =
      Pattern.compile(
          "arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:(listener|listener-rule|targetgroup)/[\\w./-]{1,400}");

  private final ProviderContext context;

  AlbRouterFactory(ProviderContext context) {
    super(
        TYPE,
        RouterCapability.WEIGHTED_SPLIT,
        RouterCapability.STICKY_SESSIONS,
        RouterCapability.ALTERNATING_SLOTS);
    this.context = context;
  }

  record Settings(
      AwsAuth aws,
      @Nullable String listenerArn,
      @Nullable String ruleArn,
      String stable,
      String canary,
      boolean sticky,
      Duration stickyDuration,
      @Nullable URI endpoint,
      Duration timeout) {}

  @Override
  protected Parsed<Settings> parse(Map<String, ?> raw) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(raw, violations);
    AwsAuth aws = AwsAuth.read(r, null);
    String listener = arn(r, "listenerArn", "listener", false);
    String rule = arn(r, "ruleArn", "listener-rule", false);
    if ((listener == null) == (rule == null) && !r.has("listenerArn") && !r.has("ruleArn")) {
      r.violation("listenerArn", "give the listener's ARN (its default actions) or ruleArn");
    } else if (r.has("listenerArn") && r.has("ruleArn")) {
      r.violation("ruleArn", "give either listenerArn or ruleArn, not both");
    }
    String stable = arn(r, "stableTargetGroup", "targetgroup", true);
    String canary = arn(r, "canaryTargetGroup", "targetgroup", true);
    if (stable != null && stable.equals(canary)) {
      r.violation("canaryTargetGroup", "must differ from stableTargetGroup");
    }
    boolean sticky = r.bool("sticky", false);
    Duration stickyDuration = r.duration("stickyDuration", Duration.ofHours(1));
    if (stickyDuration.toSeconds() < 1 || stickyDuration.toSeconds() > 604_800) {
      r.violation("stickyDuration", "must be 1s to 7d, as the ALB takes it");
    }
    URI endpoint = r.httpUrl("endpoint", false);
    Duration timeout = r.duration("timeout", Duration.ofSeconds(10));
    r.rejectUnknown();
    if (aws == null || stable == null || canary == null || (listener == null && rule == null)) {
      return Parsed.of(null, violations);
    }
    return Parsed.of(
        new Settings(
            aws, listener, rule, stable, canary, sticky, stickyDuration, endpoint, timeout),
        violations);
  }

  private static @Nullable String arn(
      SettingsReader r, String key, String resource, boolean required) {
    String value = required ? r.requiredString(key) : r.string(key).orElse(null);
    if (value != null && (!ARN.matcher(value).matches() || !value.contains(":" + resource + "/"))) {
      r.violation(key, "must be the ARN of an ELB " + resource);
      return null;
    }
    return value;
  }

  @Override
  protected String destination(Settings s) {
    URI endpoint = s.endpoint();
    return "alb " + (endpoint != null ? endpoint.getAuthority() : s.aws().region());
  }

  @Override
  protected TrafficRouter create(RouterTarget target, Settings s) {
    ElasticLoadBalancingV2Client client =
        AwsCalls.configured(
                ElasticLoadBalancingV2Client.builder(), s.aws(), s.endpoint(), s.timeout(), context)
            .build();
    return new AlbRouter(s, client);
  }

  static final class AlbRouter implements TrafficRouter {
    private final Settings s;
    private final ElasticLoadBalancingV2Client elb;

    AlbRouter(Settings s, ElasticLoadBalancingV2Client elb) {
      this.s = s;
      this.elb = elb;
    }

    private String where() {
      return s.listenerArn() != null ? "listener " + s.listenerArn() : "rule " + s.ruleArn();
    }

    /** The listener's default actions, or the rule's actions, as the ALB has them now. */
    private List<Action> actions() {
      String listener = s.listenerArn();
      if (listener != null) {
        var listeners =
            AwsCalls.call("ALB", () -> elb.describeListeners(r -> r.listenerArns(listener)))
                .listeners();
        if (listeners.isEmpty()) {
          throw RouterException.fatal("the ALB has no " + where());
        }
        return listeners.get(0).defaultActions();
      }
      String rule = Objects.requireNonNull(s.ruleArn());
      var rules = AwsCalls.call("ALB", () -> elb.describeRules(r -> r.ruleArns(rule))).rules();
      if (rules.isEmpty()) {
        throw RouterException.fatal("the ALB has no " + where());
      }
      return rules.get(0).actions();
    }

    private boolean forwardsToStable(Action a) {
      if (a.type() != ActionTypeEnum.FORWARD) {
        return false;
      }
      if (s.stable().equals(a.targetGroupArn())) {
        return true;
      }
      ForwardActionConfig f = a.forwardConfig();
      return f != null
          && f.targetGroups().stream().anyMatch(t -> s.stable().equals(t.targetGroupArn()));
    }

    private Action forward(List<Action> actions) {
      return actions.stream()
          .filter(this::forwardsToStable)
          .findFirst()
          .orElseThrow(
              () ->
                  RouterException.fatal(
                      where() + " has no forward action to target group " + s.stable()));
    }

    @Override
    public void setCanaryWeight(int weight) {
      List<Action> actions = actions();
      Action forward = forward(actions);
      ForwardActionConfig.Builder config =
          ForwardActionConfig.builder()
              .targetGroups(
                  TargetGroupTuple.builder()
                      .targetGroupArn(s.stable())
                      .weight(100 - weight)
                      .build(),
                  TargetGroupTuple.builder().targetGroupArn(s.canary()).weight(weight).build());
      ForwardActionConfig held = forward.forwardConfig();
      if (s.sticky()) {
        config.targetGroupStickinessConfig(
            TargetGroupStickinessConfig.builder()
                .enabled(true)
                .durationSeconds((int) s.stickyDuration().toSeconds())
                .build());
      } else if (held != null && held.targetGroupStickinessConfig() != null) {
        config.targetGroupStickinessConfig(held.targetGroupStickinessConfig());
      }
      // with two target groups the action names them only in ForwardConfig
      Action changed =
          forward.toBuilder().targetGroupArn(null).forwardConfig(config.build()).build();
      List<Action> next = new ArrayList<>(actions);
      next.set(actions.indexOf(forward), changed);
      String listener = s.listenerArn();
      if (listener != null) {
        AwsCalls.call(
            "ALB", () -> elb.modifyListener(r -> r.listenerArn(listener).defaultActions(next)));
      } else {
        String rule = Objects.requireNonNull(s.ruleArn());
        AwsCalls.call("ALB", () -> elb.modifyRule(r -> r.ruleArn(rule).actions(next)));
      }
    }

    @Override
    public OptionalInt currentCanaryWeight() {
      Action forward = forward(actions());
      ForwardActionConfig f = forward.forwardConfig();
      if (f == null || f.targetGroups().isEmpty()) {
        return OptionalInt.of(0); // one target group: the stable one takes all
      }
      int stable = 0;
      int canary = 0;
      for (TargetGroupTuple t : f.targetGroups()) {
        int w = t.weight() == null ? 1 : t.weight(); // the ALB's default weight
        if (s.stable().equals(t.targetGroupArn())) {
          stable += w;
        } else if (s.canary().equals(t.targetGroupArn())) {
          canary += w;
        }
      }
      if (stable + canary == 0) {
        return OptionalInt.empty();
      }
      return OptionalInt.of((int) Math.round(100.0 * canary / (stable + canary)));
    }

    @Override
    public void finish(boolean promoted) {
      setCanaryWeight(promoted ? 100 : 0);
    }
  }
}
