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
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;

/**
 * An AWS Lambda alias: the stable version is the alias's {@code FunctionVersion}, the canary the
 * release's published version (its {@code version} variable, {@code --canary version=7}), given
 * {@code RoutingConfig.AdditionalVersionWeights} of {@code w / 100}. At 100 % the alias points at
 * the canary and keeps the old version at weight 0, so that a rollback — during a blue/green
 * scale-down delay, say — can point it back; the finish leaves the alias on one version. Every
 * change carries the alias's {@code RevisionId}: a change made meanwhile by someone else is refused
 * by Lambda and read afresh on the next try.
 *
 * <pre>{@code
 * "router": {"type": "lambda", "region": "eu-west-1", "function": "checkout", "alias": "live",
 *            "roleArn": "arn:aws:iam::123456789012:role/aviary-deployer"}
 * }</pre>
 */
@Component
class LambdaRouterFactory extends SettingsRouterFactory<LambdaRouterFactory.Settings> {

  static final String TYPE = "lambda";
  private static final Pattern FUNCTION =
      Pattern.compile(
          "[a-zA-Z0-9_-]{1,64}|arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[a-zA-Z0-9_-]{1,64}");
  private static final Pattern ALIAS = Pattern.compile("(?!\\d+$)[a-zA-Z0-9_-]{1,128}");
  private static final Pattern VERSION = Pattern.compile("\\d{1,10}");

  private final ProviderContext context;

  LambdaRouterFactory(ProviderContext context) {
    super(TYPE, RouterCapability.WEIGHTED_SPLIT);
    this.context = context;
  }

  record Settings(
      AwsAuth aws,
      String function,
      String alias,
      String versionVariable,
      @Nullable URI endpoint,
      Duration timeout) {}

  @Override
  protected Parsed<Settings> parse(Map<String, ?> raw) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(raw, violations);
    AwsAuth aws = AwsAuth.read(r, null);
    String function = r.requiredString("function");
    if (function != null && !FUNCTION.matcher(function).matches()) {
      r.violation("function", "must be a Lambda function's name or ARN");
    }
    String alias = r.requiredString("alias");
    if (alias != null && !ALIAS.matcher(alias).matches()) {
      r.violation("alias", "must be an alias name: letters, digits, '-' and '_', not only digits");
    }
    String variable = r.string("versionVariable").orElse("version");
    URI endpoint = r.httpUrl("endpoint", false);
    Duration timeout = r.duration("timeout", Duration.ofSeconds(10));
    r.rejectUnknown();
    if (aws == null || function == null || alias == null) {
      return Parsed.of(null, violations);
    }
    return Parsed.of(new Settings(aws, function, alias, variable, endpoint, timeout), violations);
  }

  @Override
  protected String destination(Settings s) {
    URI endpoint = s.endpoint();
    return "lambda " + (endpoint != null ? endpoint.getAuthority() : s.aws().region());
  }

  @Override
  protected TrafficRouter create(RouterTarget target, Settings s) {
    LambdaClient client =
        AwsCalls.configured(LambdaClient.builder(), s.aws(), s.endpoint(), s.timeout(), context)
            .build();
    return new LambdaRouter(s, client, target.canary().get(s.versionVariable()));
  }

  static final class LambdaRouter implements TrafficRouter {
    private final Settings s;
    private final LambdaClient lambda;
    private final @Nullable String canary;

    LambdaRouter(Settings s, LambdaClient lambda, @Nullable String canary) {
      this.s = s;
      this.lambda = lambda;
      this.canary = canary;
    }

    private GetAliasResponse alias() {
      return AwsCalls.call(
          "Lambda", () -> lambda.getAlias(r -> r.functionName(s.function()).name(s.alias())));
    }

    /** The release's version, which the canary weight goes to. */
    private String canary() {
      if (canary == null || !VERSION.matcher(canary).matches()) {
        throw RouterException.fatal(
            "the lambda router routes to the release's published version, its '"
                + s.versionVariable()
                + "' variable ("
                + (canary == null ? "not given" : "'" + canary + "' is not a version number")
                + "): start the rollout with --canary "
                + s.versionVariable()
                + "=<version>");
      }
      return canary;
    }

    private static Map<String, Double> weights(GetAliasResponse alias) {
      AliasRoutingConfiguration routing = alias.routingConfig();
      return routing == null ? Map.of() : routing.additionalVersionWeights();
    }

    /** The version the alias served before this release: its own, or the one kept at 100 %. */
    private String stable(GetAliasResponse alias, String canary) {
      if (!canary.equals(alias.functionVersion())) {
        return alias.functionVersion();
      }
      return weights(alias).keySet().stream()
          .filter(v -> !v.equals(canary))
          .findFirst()
          .orElseThrow(
              () ->
                  RouterException.fatal(
                      "alias "
                          + s.alias()
                          + " points at version "
                          + canary
                          + " alone: the version before it is not known any more"));
    }

    private void point(GetAliasResponse alias, String version, Map<String, Double> weights) {
      AwsCalls.call(
          "Lambda",
          () ->
              lambda.updateAlias(
                  r ->
                      r.functionName(s.function())
                          .name(s.alias())
                          .functionVersion(version)
                          .routingConfig(c -> c.additionalVersionWeights(weights))
                          .revisionId(alias.revisionId())));
    }

    @Override
    public void setCanaryWeight(int weight) {
      String canary = canary();
      GetAliasResponse alias = alias();
      String stable = stable(alias, canary);
      if (stable.equals(canary)) {
        throw RouterException.fatal("the alias already serves version " + canary + " as stable");
      }
      if (weight == 0) {
        point(alias, stable, Map.of());
      } else if (weight == 100) {
        point(alias, canary, Map.of(stable, 0.0)); // the way back stays known
      } else {
        point(alias, stable, Map.of(canary, weight / 100.0));
      }
    }

    @Override
    public OptionalInt currentCanaryWeight() {
      GetAliasResponse alias = alias();
      Map<String, Double> weights = weights(alias);
      if (canary == null) {
        // outside a rollout: whatever share the alias gives versions besides its own
        double other = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        return OptionalInt.of((int) Math.round(other * 100));
      }
      if (canary.equals(alias.functionVersion())) {
        double kept = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        return OptionalInt.of((int) Math.round((1 - kept) * 100));
      }
      return OptionalInt.of((int) Math.round(weights.getOrDefault(canary, 0.0) * 100));
    }

    /** The alias on one version: the canary after promotion, the old one after rollback. */
    @Override
    public void finish(boolean promoted) {
      String canary = canary();
      GetAliasResponse alias = alias();
      point(alias, promoted ? canary : stable(alias, canary), Map.of());
    }
  }
}
