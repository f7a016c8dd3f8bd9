package dev.aviary.controller.routing.istio;

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
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Istio: weighted routes of a {@code VirtualService} ({@code networking.istio.io/v1}), the stable
 * and canary destinations told apart by host, subset, or both. Only the HTTP routes that send
 * traffic to the stable destination (or the one named {@code route}) are changed, by a patch of
 * their weights.
 *
 * <pre>{@code
 * "router": {"type": "istio", "namespace": "shop", "virtualService": "checkout",
 *            "stable": {"host": "checkout", "subset": "stable"},
 *            "canary": {"host": "checkout", "subset": "canary"}}
 * }</pre>
 */
@Component
class IstioRouterFactory extends SettingsRouterFactory<IstioRouterFactory.Settings> {

  static final String TYPE = "istio";
  static final String API_VERSION = "networking.istio.io/v1";

  /** Named outright, so that no API discovery request is needed for Istio's group. */
  static final ResourceDefinitionContext VIRTUAL_SERVICE =
      new ResourceDefinitionContext.Builder()
          .withGroup("networking.istio.io")
          .withVersion("v1")
          .withKind("VirtualService")
          .withPlural("virtualservices")
          .withNamespaced(true)
          .build();

  private final BiFunction<String, String, KubernetesClient> clients;

  @Autowired
  IstioRouterFactory(KubernetesClients clients) {
    this(clients::client);
  }

  IstioRouterFactory(BiFunction<String, String, KubernetesClient> clients) {
    super(
        TYPE,
        RouterCapability.WEIGHTED_SPLIT,
        RouterCapability.HEADER_ROUTING,
        RouterCapability.COOKIE_ROUTING,
        RouterCapability.MIRRORING,
        RouterCapability.ALTERNATING_SLOTS);
    this.clients = clients;
  }

  /** The prefix of the HTTP routes Aviary adds for header routes: {@code aviary-<route name>}. */
  static final String ROUTE_PREFIX = "aviary-";

  /** A destination: a host, optionally one of its subsets. */
  record Destination(String host, @Nullable String subset) {
    boolean matches(@Nullable Object destination) {
      return destination instanceof Map<?, ?> d
          && host.equals(d.get("host"))
          && Objects.equals(subset, d.get("subset"));
    }

    Map<String, Object> asMap(@Nullable Object port) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("host", host);
      if (subset != null) {
        d.put("subset", subset);
      }
      if (port != null) {
        d.put("port", port);
      }
      return d;
    }
  }

  record Settings(
      String namespace,
      String virtualService,
      @Nullable String route,
      Destination stable,
      Destination canary,
      @Nullable String kubeconfig,
      @Nullable String context) {}

  static Parsed<Settings> read(Map<String, ?> raw) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(raw, violations);
    String namespace = r.string("namespace").orElse("default");
    String virtualService = r.requiredString("virtualService");
    String route = r.string("route").orElse(null);
    Destination stable = destination(r, "stable");
    Destination canary = destination(r, "canary");
    if (stable != null && stable.equals(canary)) {
      r.violation("canary", "must differ from stable (another host or subset)");
    }
    String kubeconfig = KubernetesRouting.kubeconfig(r);
    String context = r.string("context").orElse(null);
    r.rejectUnknown();
    if (virtualService == null || stable == null || canary == null) {
      return Parsed.of(null, violations);
    }
    return Parsed.of(
        new Settings(namespace, virtualService, route, stable, canary, kubeconfig, context),
        violations);
  }

  private static @Nullable Destination destination(SettingsReader r, String key) {
    if (!r.has(key)) {
      r.violation(key, "is required: {\"host\": ..., \"subset\": ...}");
      return null;
    }
    return r.object(key)
        .map(
            d -> {
              String host = d.requiredString("host");
              String subset = d.string("subset").orElse(null);
              d.rejectUnknown();
              return host == null ? null : new Destination(host, subset);
            })
        .orElse(null);
  }

  @Override
  protected Parsed<Settings> parse(Map<String, ?> settings) {
    return read(settings);
  }

  /** A host or namespace that can stand in a PromQL string as it is. */
  private static final java.util.regex.Pattern DNS_NAME =
      java.util.regex.Pattern.compile(
          "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  @Override
  public java.util.Set<String> metricTemplates() {
    return IstioStandardMetrics.OFFERED;
  }

  /**
   * Istio's standard metrics of the router's services ({@link IstioStandardMetrics}): each host's
   * first label is its service, its second (if any) its namespace, else the router's.
   */
  @Override
  public Optional<RouterMetric> metricTemplate(String name, Map<String, ?> raw) {
    Settings s = read(raw).value();
    if (s == null || !DNS_NAME.matcher(s.namespace()).matches()) {
      return Optional.empty();
    }
    java.util.Set<String> services = new java.util.TreeSet<>();
    java.util.Set<String> namespaces = new java.util.TreeSet<>();
    for (Destination d : List.of(s.stable(), s.canary())) {
      if (!DNS_NAME.matcher(d.host()).matches()) {
        return Optional.empty();
      }
      String[] labels = d.host().split("\\.", -1);
      services.add(labels[0]);
      namespaces.add(labels.length > 1 ? labels[1] : s.namespace());
    }
    return IstioStandardMetrics.of(name, services, namespaces);
  }

  @Override
  protected String destination(Settings s) {
    return KubernetesRouting.destination(s.kubeconfig(), s.context());
  }

  @Override
  protected TrafficRouter create(RouterTarget target, Settings s) {
    return new IstioRouter(s, clients.apply(s.kubeconfig(), s.context()));
  }

  static final class IstioRouter implements TrafficRouter {
    private final Settings s;
    private final KubernetesClient client;

    IstioRouter(Settings s, KubernetesClient client) {
      this.s = s;
      this.client = client;
    }

    private Resource<GenericKubernetesResource> virtualService() {
      return client
          .genericKubernetesResources(VIRTUAL_SERVICE)
          .inNamespace(s.namespace())
          .withName(s.virtualService());
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> owned(GenericKubernetesResource vs) {
      List<Map<String, Object>> owned = new ArrayList<>();
      Object spec = vs.getAdditionalProperties().get("spec");
      Object http = spec instanceof Map<?, ?> m ? m.get("http") : null;
      if (!(http instanceof List<?> routes)) {
        return owned;
      }
      for (Object r : routes) {
        if (!(r instanceof Map<?, ?> route)) {
          continue;
        }
        if (aviarys(route)) {
          continue;
        }
        boolean named = s.route() == null || s.route().equals(route.get("name"));
        boolean toStable =
            route.get("route") instanceof List<?> dests
                && dests.stream()
                    .anyMatch(
                        d ->
                            d instanceof Map<?, ?> dm && s.stable().matches(dm.get("destination")));
        if (named && toStable) {
          owned.add((Map<String, Object>) route);
        }
      }
      return owned;
    }

    private GenericKubernetesResource existing() {
      GenericKubernetesResource vs = KubernetesRouting.call(() -> virtualService().get());
      if (vs == null) {
        throw RouterException.fatal(
            "VirtualService " + s.namespace() + "/" + s.virtualService() + " does not exist");
      }
      if (owned(vs).isEmpty()) {
        throw RouterException.fatal(
            "VirtualService "
                + s.namespace()
                + "/"
                + s.virtualService()
                + " has no HTTP route to "
                + s.stable());
      }
      return vs;
    }

    @Override
    public void setCanaryWeight(int weight) {
      existing();
      KubernetesRouting.call(() -> virtualService().edit(vs -> withWeights(vs, weight, true)));
    }

    @SuppressWarnings("unchecked")
    GenericKubernetesResource withWeights(
        GenericKubernetesResource vs, int weight, boolean keepCanary) {
      for (Map<String, Object> route : owned(vs)) {
        List<Map<String, Object>> dests = new ArrayList<>();
        for (Object d : routeList(route)) {
          dests.add(new LinkedHashMap<>((Map<String, Object>) d));
        }
        Map<String, Object> stable =
            dests.stream()
                .filter(d -> s.stable().matches(d.get("destination")))
                .findFirst()
                .orElseThrow();
        Map<String, Object> canary =
            dests.stream()
                .filter(d -> s.canary().matches(d.get("destination")))
                .findFirst()
                .orElse(null);
        stable.put("weight", keepCanary ? 100 - weight : 100);
        if (keepCanary && canary == null) {
          Object port = stable.get("destination") instanceof Map<?, ?> sd ? sd.get("port") : null;
          canary = new LinkedHashMap<>();
          canary.put("destination", s.canary().asMap(port));
          dests.add(canary);
        }
        if (keepCanary && canary != null) {
          canary.put("weight", weight);
        } else {
          dests.removeIf(d -> s.canary().matches(d.get("destination")));
        }
        route.put("route", dests);
      }
      return vs;
    }

    private static boolean aviarys(Map<?, ?> route) {
      return route.get("name") instanceof String n && n.startsWith(ROUTE_PREFIX);
    }

    /** The new version's destination, at the port of the owned route's stable destination. */
    private Map<String, Object> newVersion(Map<String, Object> owned, boolean toStable) {
      Object port = null;
      for (Object d : routeList(owned)) {
        if (d instanceof Map<?, ?> dm
            && s.stable().matches(dm.get("destination"))
            && dm.get("destination") instanceof Map<?, ?> dest) {
          port = dest.get("port");
        }
      }
      return (toStable ? s.stable() : s.canary()).asMap(port);
    }

    /** The HTTP routes the header routes need, each matching as the first owned route does. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> headerRoutes(Map<String, Object> owned, Routes routes) {
      List<Map<String, Object>> added = new ArrayList<>();
      for (HeaderRoute r : routes.headerRoutes()) {
        Map<String, Object> condition = new LinkedHashMap<>();
        if (r.on() == HeaderRoute.On.COOKIE) {
          condition.put("regex", r.cookieHeaderRegex());
        } else if (r.exact() != null) {
          condition.put("exact", r.exact());
        } else {
          condition.put("regex", r.regex());
        }
        String header =
            r.on() == HeaderRoute.On.COOKIE ? "cookie" : r.key().toLowerCase(java.util.Locale.ROOT);
        List<Map<String, Object>> matches = new ArrayList<>();
        List<?> base =
            owned.get("match") instanceof List<?> l && !l.isEmpty() ? l : List.of(Map.of());
        for (Object m : base) {
          Map<String, Object> match = new LinkedHashMap<>((Map<String, Object>) m);
          Map<String, Object> headers =
              match.get("headers") instanceof Map<?, ?> h
                  ? new LinkedHashMap<>((Map<String, Object>) h)
                  : new LinkedHashMap<>();
          headers.put(header, condition);
          match.put("headers", headers);
          matches.add(match);
        }
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("name", ROUTE_PREFIX + r.name());
        route.put("match", matches);
        Map<String, Object> destination = new LinkedHashMap<>();
        destination.put("destination", newVersion(owned, routes.toStable()));
        route.put("route", List.of(destination));
        added.add(route);
      }
      return added;
    }

    /** The VirtualService's spec, which {@link #existing()} found to hold HTTP routes. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource vs) {
      return (Map<String, Object>) Objects.requireNonNull(vs.getAdditionalProperties().get("spec"));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> http(GenericKubernetesResource vs) {
      return (List<Object>) Objects.requireNonNull(spec(vs).get("http"));
    }

    @SuppressWarnings("unchecked")
    GenericKubernetesResource withRoutes(GenericKubernetesResource vs, Routes routes) {
      List<Map<String, Object>> owned = owned(vs);
      List<Object> http = new ArrayList<>();
      List<Map<String, Object>> added = headerRoutes(owned.get(0), routes);
      for (Object r : http(vs)) {
        if (r instanceof Map<?, ?> route && aviarys(route)) {
          continue;
        }
        if (!added.isEmpty() && owned.contains(r)) {
          http.addAll(added); // Istio takes the first route that matches: before the owned ones
          added = List.of();
        }
        if (owned.contains(r)) {
          Map<String, Object> route = (Map<String, Object>) r;
          if (routes.mirrorPercent() > 0) {
            route.put("mirror", newVersion(route, routes.toStable()));
            route.put("mirrorPercentage", Map.of("value", (double) routes.mirrorPercent()));
          } else {
            route.remove("mirror");
            route.remove("mirrorPercentage");
          }
        }
        http.add(r);
      }
      spec(vs).put("http", http);
      return vs;
    }

    @Override
    public void setRoutes(Routes routes) {
      existing();
      KubernetesRouting.call(() -> virtualService().edit(vs -> withRoutes(vs, routes)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean holds(Routes routes) {
      GenericKubernetesResource vs = existing();
      List<Map<String, Object>> owned = owned(vs);
      List<Object> present =
          http(vs).stream().filter(r -> r instanceof Map<?, ?> m && aviarys(m)).toList();
      if (!present.equals(headerRoutes(owned.get(0), routes))) {
        return false;
      }
      for (Map<String, Object> route : owned) {
        Object percentage =
            route.get("mirrorPercentage") instanceof Map<?, ?> p ? p.get("value") : null;
        double held = percentage instanceof Number n ? n.doubleValue() : 0;
        Object mirror = route.get("mirror");
        if (routes.mirrorPercent() == 0
            ? mirror != null
            : mirror == null
                || held != routes.mirrorPercent()
                || !mirror.equals(newVersion(route, routes.toStable()))) {
          return false;
        }
      }
      return true;
    }

    /** The destinations of an HTTP route: its {@code route} list, empty when it has none. */
    private static List<?> routeList(Map<String, Object> route) {
      return route.get("route") instanceof List<?> list ? list : List.of();
    }

    @Override
    public OptionalInt currentCanaryWeight() {
      Map<String, Object> route = owned(existing()).get(0);
      int stable = 0;
      int canary = 0;
      int destinations = 0;
      for (Object d : routeList(route)) {
        Map<?, ?> dest = (Map<?, ?>) d;
        destinations++;
        // Istio: a lone destination without a weight takes everything.
        int w = dest.get("weight") instanceof Number n ? n.intValue() : 0;
        if (s.stable().matches(dest.get("destination"))) {
          stable += w;
        } else if (s.canary().matches(dest.get("destination"))) {
          canary += w;
        }
      }
      if (stable + canary == 0) {
        return destinations == 1 ? OptionalInt.of(0) : OptionalInt.empty();
      }
      return OptionalInt.of((int) Math.round(100.0 * canary / (stable + canary)));
    }

    /**
     * Promotion leaves all traffic on the canary; rollback removes the canary destination again.
     */
    @Override
    public void finish(boolean promoted) {
      existing();
      KubernetesRouting.call(
          () ->
              virtualService()
                  .edit(
                      vs ->
                          withWeights(withRoutes(vs, Routes.NONE), promoted ? 100 : 0, promoted)));
    }
  }
}
