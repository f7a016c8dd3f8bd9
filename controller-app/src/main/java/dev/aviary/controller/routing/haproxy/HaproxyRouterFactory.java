package dev.aviary.controller.routing.haproxy;

import dev.aviary.analysis.metrics.QueryLanguage;
import dev.aviary.controller.routing.HeaderRoute;
import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.controller.routing.RouterException;
import dev.aviary.controller.routing.RouterMetric;
import dev.aviary.controller.routing.RouterTarget;
import dev.aviary.controller.routing.Routes;
import dev.aviary.controller.routing.SettingsRouterFactory;
import dev.aviary.controller.routing.TrafficRouter;
import dev.aviary.controller.routing.WeightSplit;
import dev.aviary.kernel.OutboundPolicy;
import dev.aviary.kernel.Parsed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * HAProxy through its runtime API: {@code set server <backend>/<server> weight <n>} for every
 * stable and canary server (weights out of 256, spread over each group), read back with {@code get
 * weight}. Runtime weights do not survive an HAProxy reload or restart; the next tick sees the
 * configured weights, records the drift and sets them again.
 */
@Component
class HaproxyRouterFactory extends SettingsRouterFactory<HaproxySettings> {

  static final String TYPE = "haproxy";

  /** The route map's values: the group matching requests go to. */
  static final String CANARY = "canary";

  static final String STABLE = "stable";
  static final int SCALE = 256;

  private final OutboundPolicy outbound;

  HaproxyRouterFactory(OutboundPolicy outbound) {
    super(
        TYPE,
        RouterCapability.WEIGHTED_SPLIT,
        RouterCapability.HEADER_ROUTING,
        RouterCapability.COOKIE_ROUTING,
        RouterCapability.STICKY_SESSIONS,
        RouterCapability.ALTERNATING_SLOTS);
    this.outbound = outbound;
  }

  @Override
  public Optional<String> missingSetting(RouterCapability capability, Map<String, ?> raw) {
    HaproxySettings settings = HaproxySettings.parse(raw).value();
    if (settings == null) {
      return Optional.empty(); // the settings' own violations say why
    }
    if ((capability == RouterCapability.HEADER_ROUTING
            || capability == RouterCapability.COOKIE_ROUTING)
        && settings.routeMap() == null) {
      return Optional.of(
          "the haproxy router routes by header or cookie through a map file its backend's"
              + " use-server rules read: set routeMap (docs/routers.md#haproxy)");
    }
    return Optional.empty();
  }

  @Override
  protected Parsed<HaproxySettings> parse(Map<String, ?> settings) {
    return HaproxySettings.parse(settings);
  }

  @Override
  protected String destination(HaproxySettings settings) {
    return "haproxy " + settings.address();
  }

  @Override
  public Set<String> metricTemplates() {
    return Set.of(RouterMetric.HTTP_ERROR_RATE);
  }

  /**
   * {@code http-error-rate} from HAProxy's built-in Prometheus exporter ({@code http-request
   * use-service prometheus-exporter}): the 5xx answers of the backend's canary servers against all
   * their answers, and the same of its stable servers.
   */
  @Override
  public Optional<RouterMetric> metricTemplate(String name, Map<String, ?> raw) {
    HaproxySettings settings = HaproxySettings.parse(raw).value();
    if (!RouterMetric.HTTP_ERROR_RATE.equals(name) || settings == null) {
      return Optional.empty();
    }
    String canary = selector(settings.backend(), settings.canary());
    String stable = selector(settings.backend(), settings.stable());
    return Optional.of(
        new RouterMetric(
            errors(canary),
            answers(canary),
            errors(stable),
            answers(stable),
            "prometheus",
            "HAProxy's Prometheus exporter (haproxy_server_http_responses_total)"));
  }

  private static String selector(String backend, List<String> servers) {
    // a backend's name holds letters, digits and _ . : - only: as it is, an exact match
    return "proxy=\"" + backend + "\",server=~\"" + QueryLanguage.promqlAnyOf(servers) + "\"";
  }

  private static String errors(String selector) {
    return "sum(increase(haproxy_server_http_responses_total{"
        + selector
        + ",code=\"5xx\"}[${window}]))";
  }

  private static String answers(String selector) {
    return "sum(increase(haproxy_server_http_responses_total{" + selector + "}[${window}]))";
  }

  @Override
  protected TrafficRouter create(RouterTarget target, HaproxySettings settings) {
    return new HaproxyRouter(settings, outbound);
  }

  static final class HaproxyRouter implements TrafficRouter {
    private final HaproxySettings settings;
    private final HaproxyRuntimeApi api;
    private final WeightSplit split;

    HaproxyRouter(HaproxySettings settings, OutboundPolicy outbound) {
      this.settings = settings;
      this.api = new HaproxyRuntimeApi(settings, outbound);
      this.split = new WeightSplit(SCALE, settings.stable().size(), settings.canary().size());
    }

    private List<String> servers() {
      List<String> all = new ArrayList<>(settings.stable());
      all.addAll(settings.canary());
      return all;
    }

    /**
     * One server at a time, rising weights first: a change that stops halfway leaves a share
     * between the old and the new one, never all servers at 0 (see {@link WeightSplit#applyOrder}).
     */
    @Override
    public void setCanaryWeight(int weight) {
      int[] weights = split.encode(weight);
      List<String> servers = servers();
      for (int i : WeightSplit.applyOrder(currentWeights(servers), weights)) {
        command(
            "set server " + settings.backend() + "/" + servers.get(i) + " weight " + weights[i],
            "set " + settings.backend() + "/" + servers.get(i));
      }
      if (settings.sticky()) {
        keepCookiesOffIdleGroups(weights, routeEntries());
      }
    }

    /** Runs a command that answers nothing when it succeeds. */
    private void command(String command, String what) {
      String answer = api.execute(command).strip();
      if (!answer.isEmpty()) {
        throw RouterException.fatal("HAProxy refused to " + what + ": " + answer);
      }
    }

    /**
     * With sticky sessions, a group with no share and no header route to it is put in maintenance,
     * and the others made ready: HAProxy still sends a caller whose cookie names a server of weight
     * 0 to it, so a rollback would otherwise leave the canary's callers on the canary.
     */
    private void keepCookiesOffIdleGroups(int[] weights, List<String> routes) {
      List<String> servers = servers();
      int stableCount = settings.stable().size();
      boolean stableShare = false;
      boolean canaryShare = false;
      for (int i = 0; i < weights.length; i++) {
        if (i < stableCount) {
          stableShare |= weights[i] > 0;
        } else {
          canaryShare |= weights[i] > 0;
        }
      }
      boolean routedToStable = routes.stream().anyMatch(e -> e.endsWith(" " + STABLE));
      boolean routedToCanary = routes.stream().anyMatch(e -> e.endsWith(" " + CANARY));
      for (int i = 0; i < servers.size(); i++) {
        boolean live =
            i < stableCount ? stableShare || routedToStable : canaryShare || routedToCanary;
        command(
            "set server "
                + settings.backend()
                + "/"
                + servers.get(i)
                + " state "
                + (live ? "ready" : "maint"),
            "change the state of " + settings.backend() + "/" + servers.get(i));
      }
    }

    /**
     * The route map's entries as {@code "<regex> <group>"}: each a regular expression over the
     * request's header block ({@code req.hdrs}) and the group its requests go to.
     */
    private List<String> routeEntries() {
      String map = settings.routeMap();
      if (map == null) {
        return List.of();
      }
      String answer = api.execute("show map " + map);
      List<String> entries = new ArrayList<>();
      for (String line : answer.split("\n", -1)) {
        String l = line.strip();
        if (l.isEmpty()) {
          continue;
        }
        if (!l.startsWith("0x")) {
          throw RouterException.fatal("HAProxy has no map " + map + ": " + l);
        }
        entries.add(l.substring(l.indexOf(' ') + 1)); // past the entry's address
      }
      return entries;
    }

    /** The map entries {@code routes} needs. */
    private static List<String> entriesFor(Routes routes) {
      List<String> entries = new ArrayList<>();
      for (HeaderRoute route : routes.headerRoutes()) {
        entries.add(regex(route) + " " + (routes.toStable() ? STABLE : CANARY));
      }
      return entries;
    }

    /**
     * A PCRE over HAProxy's {@code req.hdrs} (the header block, one {@code Name: value} line each,
     * CRLF-ended): a line of the header whose whole value matches, or a {@code Cookie} line holding
     * the cookie with a matching value. Spaces and semicolons are written as {@code \x20}, {@code
     * \x3b}: the runtime API splits commands on them.
     */
    static String regex(HeaderRoute route) {
      String value = safe(route.valueRegex());
      String ows = "[\\x20\\x09]*";
      if (route.on() == HeaderRoute.On.HEADER) {
        return "(?m)^(?i:"
            + HeaderRoute.quote(route.key())
            + "):"
            + ows
            + "(?:"
            + value
            + ")"
            + ows
            + "\\r?$";
      }
      return "(?m)^(?i:cookie):(?:.*[\\x3b\\x20])?"
          + HeaderRoute.quote(route.key())
          + "=(?:"
          + value
          + ")(?:\\x3b.*)?\\r?$";
    }

    /** A regex with the runtime API's separators written as escapes of the same characters. */
    private static String safe(String regex) {
      return regex.replace(" ", "\\x20").replace("\t", "\\x09").replace(";", "\\x3b");
    }

    /**
     * Replaces the route map's entries at once: a new version of the map is prepared, filled and
     * committed, so requests never see half of the routes.
     */
    @Override
    public void setRoutes(Routes routes) {
      String map = settings.routeMap();
      if (map == null) {
        if (routes.headerRoutes().isEmpty()) {
          return;
        }
        throw RouterException.fatal(
            "the haproxy router needs routeMap for header and cookie routes");
      }
      String prepared = api.execute("prepare map " + map).strip();
      java.util.regex.Matcher version =
          java.util.regex.Pattern.compile("New version created: (\\d+)").matcher(prepared);
      if (!version.find()) {
        throw RouterException.fatal("HAProxy could not prepare map " + map + ": " + prepared);
      }
      String at = "@" + version.group(1) + " " + map;
      for (String entry : entriesFor(routes)) {
        // the runtime API reads a backslash as an escape: a regex's own are written twice
        command("add map " + at + " " + entry.replace("\\", "\\\\"), "add to map " + map);
      }
      command("commit map " + at, "commit map " + map);
      if (settings.sticky()) {
        keepCookiesOffIdleGroups(currentWeights(servers()), entriesFor(routes));
      }
    }

    @Override
    public boolean holds(Routes routes) {
      if (settings.routeMap() == null) {
        return routes.headerRoutes().isEmpty();
      }
      List<String> held = new ArrayList<>(routeEntries());
      List<String> wanted = entriesFor(routes);
      java.util.Collections.sort(held);
      java.util.Collections.sort(wanted);
      return held.equals(wanted);
    }

    @Override
    public OptionalInt currentCanaryWeight() {
      return split.decode(currentWeights(servers()));
    }

    private int[] currentWeights(List<String> servers) {
      int[] weights = new int[servers.size()];
      for (int i = 0; i < servers.size(); i++) {
        String answer =
            api.execute("get weight " + settings.backend() + "/" + servers.get(i)).strip();
        // "51 (initial 100)"; errors are words such as "No such server."
        String first = answer.split("\\s+", -1)[0];
        if (!first.matches("\\d+")) {
          throw RouterException.fatal(
              "HAProxy has no server " + settings.backend() + "/" + servers.get(i) + ": " + answer);
        }
        weights[i] = Integer.parseInt(first);
      }
      return weights;
    }

    /** All traffic on one group, the route map emptied. */
    @Override
    public void finish(boolean promoted) {
      if (settings.routeMap() != null) {
        setRoutes(Routes.NONE);
      }
      setCanaryWeight(promoted ? 100 : 0);
    }
  }
}
