package dev.aviary.controller.routing.gatewayapi;

import dev.aviary.analysis.metrics.QueryLanguage;
import dev.aviary.controller.platform.kubernetes.KubernetesClients;
import dev.aviary.controller.routing.HeaderRoute;
import dev.aviary.controller.routing.IstioStandardMetrics;
import dev.aviary.controller.routing.KubernetesRouting;
import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.controller.routing.RouterException;
import dev.aviary.controller.routing.RouterMetric;
import dev.aviary.controller.routing.RouterTarget;
import dev.aviary.controller.routing.Routes;
import dev.aviary.controller.routing.SettingsRouterFactory;
import dev.aviary.controller.routing.TrafficRouter;
import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilterBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Kubernetes Gateway API: weighted {@code backendRefs} on an {@code HTTPRoute}, which Istio,
 * Linkerd, Envoy Gateway, Cilium, Contour, Kong, NGINX Gateway Fabric and Traefik all implement.
 * Only the rules that send traffic to the stable Service are Aviary's; each change is a patch of
 * just those weights.
 *
 * <pre>{@code
 * "router": {"type": "gateway-api", "namespace": "shop", "route": "checkout",
 *            "stableService": "checkout-stable", "canaryService": "checkout-canary", "port": 8080}
 * }</pre>
 */
@Component
class GatewayApiRouterFactory extends SettingsRouterFactory<GatewayApiRouterFactory.Settings> {

  static final String TYPE = "gateway-api";
  private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private final BiFunction<String, String, KubernetesClient> clients;

  @Autowired
  GatewayApiRouterFactory(KubernetesClients clients) {
    this(clients::client);
  }

  GatewayApiRouterFactory(BiFunction<String, String, KubernetesClient> clients) {
    super(
        TYPE,
        RouterCapability.WEIGHTED_SPLIT,
        RouterCapability.HEADER_ROUTING,
        RouterCapability.COOKIE_ROUTING,
        RouterCapability.STICKY_SESSIONS,
        RouterCapability.MIRRORING,
        RouterCapability.ALTERNATING_SLOTS);
    this.clients = clients;
  }

  /** The prefix of the rules Aviary adds for header routes: {@code aviary-<route name>}. */
  static final String RULE_PREFIX = "aviary-";

  record Settings(
      String namespace,
      String route,
      String stableService,
      String canaryService,
      @Nullable Integer port,
      @Nullable String kubeconfig,
      @Nullable String context,
      @Nullable String implementation,
      boolean sticky) {}

  /** Implementations whose data plane's metrics the ready-made metrics read. */
  static final List<String> IMPLEMENTATIONS = List.of("contour", "istio");

  static Parsed<Settings> read(Map<String, ?> raw) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(raw, violations);
    String namespace = name(r, "namespace", "default");
    String route = name(r, "route", null);
    String stable = name(r, "stableService", null);
    String canary = name(r, "canaryService", null);
    if (stable != null && stable.equals(canary)) {
      r.violation("canaryService", "must differ from stableService");
    }
    Integer port = r.optionalInteger("port", 1, 65535);
    String kubeconfig = KubernetesRouting.kubeconfig(r);
    String context = r.string("context").orElse(null);
    String implementation = r.string("implementation").orElse(null);
    if (implementation != null && !IMPLEMENTATIONS.contains(implementation)) {
      r.violation(
          "implementation",
          "names the implementation whose metrics the ready-made metrics read: one of "
              + String.join(", ", IMPLEMENTATIONS)
              + " (leave it out for any other; write the metrics' queries then)");
    }
    boolean sticky = r.bool("sticky", false);
    r.rejectUnknown();
    if (namespace == null || route == null || stable == null || canary == null) {
      return Parsed.of(null, violations);
    }
    return Parsed.of(
        new Settings(
            namespace, route, stable, canary, port, kubeconfig, context, implementation, sticky),
        violations);
  }

  private static @Nullable String name(SettingsReader r, String key, @Nullable String absent) {
    String value = absent == null ? r.requiredString(key) : r.string(key).orElse(absent);
    if (value != null && !DNS_NAME.matcher(value).matches()) {
      r.violation(key, "is not a valid Kubernetes name");
    }
    return value;
  }

  @Override
  protected Parsed<Settings> parse(Map<String, ?> settings) {
    return read(settings);
  }

  @Override
  public java.util.Set<String> metricTemplates() {
    return IstioStandardMetrics.OFFERED;
  }

  /**
   * The ready-made metrics of the implementation the settings name: on {@code istio}, Istio's
   * standard metrics of the two Services ({@link IstioStandardMetrics}); on {@code contour}, both
   * from Envoy's per-cluster statistics ({@code envoy_cluster_upstream_rq}, {@code
   * envoy_cluster_upstream_rq_time}), Contour naming each Service's cluster {@code
   * <namespace>_<service>_<port>} in them (as Flagger's Contour queries read it). Envoy Gateway
   * sends a rule's backends to one cluster, so its statistics do not tell the two apart.
   */
  @Override
  public java.util.Optional<RouterMetric> metricTemplate(String name, Map<String, ?> raw) {
    Settings s = read(raw).value();
    if (s == null || s.implementation() == null) {
      return java.util.Optional.empty();
    }
    if (s.implementation().equals("istio")) {
      return IstioStandardMetrics.of(
          name,
          java.util.Set.of(s.stableService(), s.canaryService()),
          java.util.Set.of(s.namespace()));
    }
    String port = s.port() == null ? "[0-9a-zA-Z-]+" : String.valueOf(s.port());
    String canary =
        "envoy_cluster_name=~\""
            + QueryLanguage.promqlAnyOf(List.of(s.namespace() + "_" + s.canaryService() + "_"))
            + port
            + "\"";
    String stable =
        "envoy_cluster_name=~\""
            + QueryLanguage.promqlAnyOf(List.of(s.namespace() + "_" + s.stableService() + "_"))
            + port
            + "\"";
    if (name.equals(RouterMetric.HTTP_LATENCY)) {
      return java.util.Optional.of(
          RouterMetric.histogram(
              envoyLatency(canary),
              envoyLatency(stable),
              "prometheus",
              "Envoy's cluster statistics as Contour's Envoy exports them"
                  + " (envoy_cluster_upstream_rq_time, milliseconds)"));
    }
    if (!name.equals(RouterMetric.HTTP_ERROR_RATE)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new RouterMetric(
            envoy(canary + ",envoy_response_code=~\"5..\""),
            envoy(canary),
            envoy(stable + ",envoy_response_code=~\"5..\""),
            envoy(stable),
            "prometheus",
            "Envoy's cluster statistics as Contour's Envoy exports them (envoy_cluster_upstream_rq)"));
  }

  @Override
  public java.util.Optional<String> metricTemplateRefusal(String name, Map<String, ?> raw) {
    Settings s = read(raw).value();
    if (s == null) {
      return java.util.Optional.empty();
    }
    if (s.implementation() == null) {
      return java.util.Optional.of(
          "the gateway-api router's ready-made metrics read the implementation's own metrics: set"
              + " \"implementation\" to one of "
              + String.join(", ", IMPLEMENTATIONS)
              + ", or write the metric's counts");
    }
    return java.util.Optional.empty();
  }

  private static String envoyLatency(String selector) {
    return "sum by (le) (increase(envoy_cluster_upstream_rq_time_bucket{"
        + selector
        + "}[${window}]))";
  }

  private static String envoy(String selector) {
    return "sum(increase(envoy_cluster_upstream_rq{" + selector + "}[${window}]))";
  }

  @Override
  protected String destination(Settings s) {
    return KubernetesRouting.destination(s.kubeconfig(), s.context());
  }

  @Override
  protected TrafficRouter create(RouterTarget target, Settings s) {
    return new GatewayApiRouter(s, clients.apply(s.kubeconfig(), s.context()));
  }

  static final class GatewayApiRouter implements TrafficRouter {
    private final Settings s;
    private final KubernetesClient client;

    GatewayApiRouter(Settings s, KubernetesClient client) {
      this.s = s;
      this.client = client;
    }

    private Resource<HTTPRoute> route() {
      return client.resources(HTTPRoute.class).inNamespace(s.namespace()).withName(s.route());
    }

    private boolean isStable(HTTPBackendRef ref) {
      return s.stableService().equals(ref.getName())
          && (s.port() == null || ref.getPort() == null || s.port().equals(ref.getPort()));
    }

    private boolean isCanary(HTTPBackendRef ref) {
      return s.canaryService().equals(ref.getName());
    }

    /** The rules that route to the stable Service: Aviary's to change. */
    private List<HTTPRouteRule> owned(HTTPRoute route) {
      List<HTTPRouteRule> owned = new ArrayList<>();
      if (route.getSpec() != null && route.getSpec().getRules() != null) {
        for (HTTPRouteRule rule : route.getSpec().getRules()) {
          if (!aviarys(rule)
              && rule.getBackendRefs() != null
              && rule.getBackendRefs().stream().anyMatch(this::isStable)) {
            owned.add(rule);
          }
        }
      }
      return owned;
    }

    private HTTPRoute existing() {
      HTTPRoute route = KubernetesRouting.call(() -> route().get());
      if (route == null) {
        throw RouterException.fatal(
            "HTTPRoute " + s.namespace() + "/" + s.route() + " does not exist");
      }
      if (owned(route).isEmpty()) {
        throw RouterException.fatal(
            "HTTPRoute "
                + s.namespace()
                + "/"
                + s.route()
                + " has no rule routing to Service "
                + s.stableService());
      }
      return route;
    }

    @Override
    public void setCanaryWeight(int weight) {
      existing();
      KubernetesRouting.call(() -> route().edit(route -> withWeights(route, weight, true)));
    }

    private static boolean aviarys(HTTPRouteRule rule) {
      return rule.getName() != null && rule.getName().startsWith(RULE_PREFIX);
    }

    HTTPRoute withWeights(HTTPRoute route, int weight, boolean keepCanary) {
      for (HTTPRouteRule rule : owned(route)) {
        if (s.sticky()) {
          // Gateway API session persistence (GEP-1619): a cookie keeps a caller on its backend
          rule.setSessionPersistence(
              new io.fabric8.kubernetes.api.model.gatewayapi.v1.SessionPersistenceBuilder()
                  .withSessionName("aviary-" + s.route())
                  .withType("Cookie")
                  .build());
        }
        List<HTTPBackendRef> refs = new ArrayList<>(rule.getBackendRefs());
        HTTPBackendRef stable = refs.stream().filter(this::isStable).findFirst().orElseThrow();
        stable.setWeight(keepCanary ? 100 - weight : 100);
        HTTPBackendRef canary = refs.stream().filter(this::isCanary).findFirst().orElse(null);
        if (keepCanary && canary == null) {
          canary = new HTTPBackendRef();
          canary.setName(s.canaryService());
          canary.setPort(s.port() != null ? s.port() : stable.getPort());
          refs.add(canary);
        }
        if (keepCanary && canary != null) {
          canary.setWeight(weight);
        } else {
          refs.removeIf(this::isCanary);
        }
        rule.setBackendRefs(refs);
      }
      return route;
    }

    /** A reference to the Service the new version runs on, at the stable reference's port. */
    private HTTPBackendRef newVersion(HTTPRouteRule owned, boolean toStable) {
      HTTPBackendRef stable =
          owned.getBackendRefs().stream().filter(this::isStable).findFirst().orElseThrow();
      HTTPBackendRef ref = new HTTPBackendRef();
      ref.setName(toStable ? s.stableService() : s.canaryService());
      ref.setPort(s.port() != null ? s.port() : stable.getPort());
      return ref;
    }

    /**
     * The rules the routes need, one per header route, each matching what the first rule Aviary
     * owns matches (its paths, methods) and the header, and sending it to the new version.
     */
    private List<HTTPRouteRule> routeRules(HTTPRouteRule owned, Routes routes) {
      List<HTTPRouteRule> rules = new ArrayList<>();
      for (HeaderRoute r : routes.headerRoutes()) {
        HTTPHeaderMatch header = new HTTPHeaderMatch();
        if (r.on() == HeaderRoute.On.COOKIE) {
          header.setName("Cookie");
          header.setType("RegularExpression");
          header.setValue(r.cookieHeaderRegex());
        } else {
          header.setName(r.key());
          header.setType(r.exact() != null ? "Exact" : "RegularExpression");
          header.setValue(r.exact() != null ? r.exact() : r.regex());
        }
        List<HTTPRouteMatch> matches = new ArrayList<>();
        List<HTTPRouteMatch> base =
            owned.getMatches() == null || owned.getMatches().isEmpty()
                ? List.of(new HTTPRouteMatch())
                : owned.getMatches();
        for (HTTPRouteMatch m : base) {
          HTTPRouteMatch copy = new HTTPRouteMatch();
          copy.setPath(m.getPath());
          copy.setMethod(m.getMethod());
          copy.setQueryParams(m.getQueryParams());
          List<HTTPHeaderMatch> headers =
              m.getHeaders() == null ? new ArrayList<>() : new ArrayList<>(m.getHeaders());
          headers.add(header);
          copy.setHeaders(headers);
          matches.add(copy);
        }
        HTTPRouteRule rule = new HTTPRouteRule();
        rule.setName(RULE_PREFIX + r.name());
        rule.setMatches(matches);
        rule.setBackendRefs(new ArrayList<>(List.of(newVersion(owned, routes.toStable()))));
        rules.add(rule);
      }
      return rules;
    }

    /** The mirror filter the routes ask of each owned rule; null when nothing is mirrored. */
    private @Nullable HTTPRouteFilter mirror(HTTPRouteRule owned, Routes routes) {
      if (routes.mirrorPercent() == 0) {
        return null;
      }
      HTTPBackendRef target = newVersion(owned, routes.toStable());
      return new HTTPRouteFilterBuilder()
          .withType("RequestMirror")
          .withNewRequestMirror()
          .withNewBackendRef()
          .withName(target.getName())
          .withPort(target.getPort())
          .endBackendRef()
          .withPercent(routes.mirrorPercent())
          .endRequestMirror()
          .build();
    }

    /** Whether {@code filter} is the mirror Aviary adds (to the canary or stable Service). */
    private boolean aviarysMirror(HTTPRouteFilter filter) {
      return "RequestMirror".equals(filter.getType())
          && filter.getRequestMirror() != null
          && filter.getRequestMirror().getBackendRef() != null
          && (s.canaryService().equals(filter.getRequestMirror().getBackendRef().getName())
              || s.stableService().equals(filter.getRequestMirror().getBackendRef().getName()));
    }

    HTTPRoute withRoutes(HTTPRoute route, Routes routes) {
      List<HTTPRouteRule> owned = owned(route);
      List<HTTPRouteRule> rules = new ArrayList<>();
      List<HTTPRouteRule> added = routeRules(owned.get(0), routes);
      for (HTTPRouteRule rule : route.getSpec().getRules()) {
        if (aviarys(rule)) {
          continue;
        }
        if (!added.isEmpty() && owned.contains(rule)) {
          rules.addAll(added); // before the first rule Aviary owns
          added = List.of();
        }
        if (owned.contains(rule)) {
          List<HTTPRouteFilter> filters =
              rule.getFilters() == null ? new ArrayList<>() : new ArrayList<>(rule.getFilters());
          filters.removeIf(this::aviarysMirror);
          HTTPRouteFilter mirror = mirror(rule, routes);
          if (mirror != null) {
            filters.add(mirror);
          }
          rule.setFilters(filters.isEmpty() ? null : filters);
        }
        rules.add(rule);
      }
      route.getSpec().setRules(rules);
      return route;
    }

    @Override
    public void setRoutes(Routes routes) {
      existing();
      KubernetesRouting.call(() -> route().edit(route -> withRoutes(route, routes)));
    }

    @Override
    public boolean holds(Routes routes) {
      HTTPRoute route = existing();
      List<HTTPRouteRule> owned = owned(route);
      List<HTTPRouteRule> present =
          route.getSpec().getRules().stream().filter(GatewayApiRouter::aviarys).toList();
      if (!present.equals(routeRules(owned.get(0), routes))) {
        return false;
      }
      for (HTTPRouteRule rule : owned) {
        List<HTTPRouteFilter> mirrors =
            rule.getFilters() == null
                ? List.of()
                : rule.getFilters().stream().filter(this::aviarysMirror).toList();
        HTTPRouteFilter wanted = mirror(rule, routes);
        if (!mirrors.equals(wanted == null ? List.of() : List.of(wanted))) {
          return false;
        }
      }
      return true;
    }

    @Override
    public OptionalInt currentCanaryWeight() {
      HTTPRouteRule rule = owned(existing()).get(0);
      int stable = 0;
      int canary = 0;
      for (HTTPBackendRef ref : rule.getBackendRefs()) {
        int w = ref.getWeight() == null ? 1 : ref.getWeight(); // the Gateway API's default weight
        if (isStable(ref)) {
          stable += w;
        } else if (isCanary(ref)) {
          canary += w;
        }
      }
      if (stable + canary == 0) {
        return OptionalInt.empty();
      }
      return OptionalInt.of((int) Math.round(100.0 * canary / (stable + canary)));
    }

    /**
     * Promotion leaves all traffic on the canary; rollback removes the canary's backendRef again.
     */
    @Override
    public void finish(boolean promoted) {
      existing();
      KubernetesRouting.call(
          () ->
              route()
                  .edit(
                      route ->
                          withWeights(
                              withRoutes(route, Routes.NONE), promoted ? 100 : 0, promoted)));
    }
  }
}
