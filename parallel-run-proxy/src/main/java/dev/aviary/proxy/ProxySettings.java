package dev.aviary.proxy;

import dev.aviary.parallelrun.compare.CompareOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How the proxy runs; read from a YAML file by {@link SettingsFile}.
 *
 * @param listen the port callers use
 * @param admin the port of {@code /metrics}, {@code /healthz} and {@code /summary}; 0: none
 * @param primary the trusted version: every caller's answer
 * @param candidate the new version, sent copies
 * @param secondary a second instance of the trusted version, sent the same copies, for noise
 * @param sample the share of requests compared when no controller says otherwise (0 to 1)
 * @param rateLimit mirrored requests per second at most
 * @param maxBodyBytes request and response bodies beyond this are not compared
 * @param primaryTimeout how long the primary may take before the caller gets 504
 * @param candidateTimeout how long the candidate and secondary may take before counting as failed
 * @param maxInFlight mirrored exchanges in flight at most, and exchanges waiting to be compared at
 *     most; beyond either requests are skipped
 * @param safeToRepeat routes with unsafe methods that may be sent twice, {@code POST /api/preview*}
 * @param routes named endpoints, in order: the first that matches names a request's endpoint
 * @param compare how answers are compared
 * @param redactHeaders headers blanked in samples, beside Authorization, Cookie and Set-Cookie
 * @param redactFields JSON fields blanked in samples
 * @param controller where to report, or null to run alone
 */
public record ProxySettings(
    int listen,
    int admin,
    URI primary,
    URI candidate,
    @Nullable URI secondary,
    double sample,
    double rateLimit,
    int maxBodyBytes,
    Duration primaryTimeout,
    Duration candidateTimeout,
    int maxInFlight,
    List<Route> safeToRepeat,
    List<Route> routes,
    CompareOptions compare,
    Set<String> redactHeaders,
    List<String> redactFields,
    @Nullable Controller controller) {

  public ProxySettings {
    safeToRepeat = List.copyOf(safeToRepeat);
    routes = List.copyOf(routes);
    redactHeaders = Set.copyOf(redactHeaders);
    redactFields = List.copyOf(redactFields);
  }

  /**
   * A method and a path pattern, {@code POST /api/orders/*}; {@code *} matches within one segment,
   * {@code **} across segments; the method {@code *} matches any.
   *
   * @param name the endpoint's name in reports; the route's text when not given
   */
  public record Route(String name, String method, String path) {

    /** Reads {@code GET /api/quote} or {@code /api/quote} (any method). */
    public static Route parse(String text, @Nullable String name) {
      String t = text.strip();
      int space = t.indexOf(' ');
      String method = space < 0 ? "*" : t.substring(0, space).toUpperCase(Locale.ROOT);
      String path = space < 0 ? t : t.substring(space + 1).strip();
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException(
            "a route is a method and a path, like GET /api/quote or POST /api/orders/*; was "
                + text);
      }
      return new Route(name == null ? t : name, method, path);
    }

    public boolean matches(String requestMethod, String requestPath) {
      return ("*".equals(method) || method.equalsIgnoreCase(requestMethod))
          && requestPath.matches(glob(path));
    }

    private static String glob(String pattern) {
      StringBuilder r = new StringBuilder();
      for (int i = 0; i < pattern.length(); i++) {
        char c = pattern.charAt(i);
        if (pattern.startsWith("**", i)) {
          r.append(".*");
          i++;
        } else if (c == '*') {
          r.append("[^/]*");
        } else {
          r.append(java.util.regex.Pattern.quote(String.valueOf(c)));
        }
      }
      return r.toString();
    }
  }

  /**
   * The controller the proxy reports to, for one plan.
   *
   * @param url the controller's base URL
   * @param plan the plan whose rollouts the comparisons belong to
   * @param token a token with the pipeline (or operator) role on the plan
   * @param reportInterval how often counts are sent
   */
  public record Controller(URI url, String plan, String token, Duration reportInterval) {
    @Override
    public String toString() {
      return "Controller[url="
          + url
          + ", plan="
          + plan
          + ", token=***, reportInterval="
          + reportInterval
          + "]";
    }
  }
}
