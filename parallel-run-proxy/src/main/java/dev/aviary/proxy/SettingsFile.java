package dev.aviary.proxy;

import dev.aviary.parallelrun.compare.CompareOptions;
import dev.aviary.parallelrun.compare.PathPattern;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the proxy's settings from YAML, naming every bad field at once:
 *
 * <pre>
 * listen: 8080
 * admin: 9464
 * primary: http://127.0.0.1:8081
 * candidate: http://127.0.0.1:8082
 * secondary: http://127.0.0.1:8083
 * sample: 1.0
 * rateLimit: 1000
 * maxBodyBytes: 262144
 * primaryTimeout: 30s
 * candidateTimeout: 2s
 * maxInFlight: 256
 * safeToRepeat: [POST /api/quotes/preview]
 * routes: [{name: quote, route: GET /api/quote}]
 * compare: {ignorePaths: [$.debug], unorderedArrays: [$.tags], numericTolerance: 0,
 *           headers: [content-type], ignoreHeaders: [], ignorePatterns: []}
 * redact: {headers: [x-api-key], fields: [$.card.number]}
 * controller: {url: http://127.0.0.1:8080, plan: checkout, tokenFile: /run/secrets/aviary,
 *              reportInterval: 1s}
 * </pre>
 *
 * The token is read from {@code tokenFile} or from the environment variable {@code tokenEnv}; the
 * settings never hold it in plain text.
 */
public final class SettingsFile {

  private static final ObjectMapper YAML = YAMLMapper.builder().build();
  private static final Set<String> TOP =
      Set.of(
          "listen",
          "admin",
          "primary",
          "candidate",
          "secondary",
          "sample",
          "rateLimit",
          "maxBodyBytes",
          "primaryTimeout",
          "candidateTimeout",
          "maxInFlight",
          "safeToRepeat",
          "routes",
          "compare",
          "redact",
          "controller");

  private final List<String> problems = new ArrayList<>();
  private final Function<String, @Nullable String> env;

  private SettingsFile(Function<String, @Nullable String> env) {
    this.env = env;
  }

  /** Thrown with every problem found. */
  public static final class InvalidSettings extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidSettings(List<String> problems) {
      super("invalid proxy settings:\n  - " + String.join("\n  - ", problems));
    }
  }

  public static ProxySettings read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), System::getenv);
  }

  /**
   * Reads settings from YAML text.
   *
   * @throws InvalidSettings naming every bad field
   */
  public static ProxySettings parse(String yaml, Function<String, @Nullable String> env) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JacksonException e) {
      throw new InvalidSettings(List.of("not YAML: " + e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidSettings(List.of("the settings must be a YAML mapping"));
    }
    return new SettingsFile(env).read(root);
  }

  private ProxySettings read(JsonNode root) {
    for (String name : root.propertyNames()) {
      if (!TOP.contains(name)) {
        problems.add(name + ": unknown setting; known are " + new java.util.TreeSet<>(TOP));
      }
    }
    int listen = port(root, "listen", 8080);
    int admin = port(root, "admin", 0);
    URI primary = url(root, "primary", true);
    URI candidate = url(root, "candidate", true);
    URI secondary = url(root, "secondary", false);
    double sample = number(root, "sample", 1.0, 0, 1);
    double rate = number(root, "rateLimit", 1000, 0, 1e9);
    int maxBody = (int) number(root, "maxBodyBytes", 256 * 1024, 0, 1 << 30);
    Duration primaryTimeout = duration(root, "primaryTimeout", Duration.ofSeconds(30));
    Duration candidateTimeout = duration(root, "candidateTimeout", Duration.ofSeconds(2));
    int maxInFlight = (int) number(root, "maxInFlight", 256, 1, 100_000);
    List<ProxySettings.Route> safe = new ArrayList<>();
    for (String r : strings(root, "safeToRepeat")) {
      route(r, null, "safeToRepeat").ifPresent(safe::add);
    }
    List<ProxySettings.Route> routes = new ArrayList<>();
    JsonNode rs = root.get("routes");
    if (rs != null && rs.isArray()) {
      int i = 0;
      for (JsonNode r : rs.values()) {
        String at = "routes[" + i++ + "]";
        if (r.isString()) {
          route(r.asString(), null, at).ifPresent(routes::add);
        } else if (r.isObject() && r.get("route") != null) {
          JsonNode n = r.get("name");
          route(r.get("route").asString(), n == null ? null : n.asString(), at)
              .ifPresent(routes::add);
        } else {
          problems.add(at + ": a route is \"GET /path\" or {name: ..., route: \"GET /path\"}");
        }
      }
    } else if (rs != null) {
      problems.add("routes: must be a list");
    }
    CompareOptions compare = compare(root.get("compare"));
    JsonNode redact = root.get("redact");
    Set<String> redactHeaders = new HashSet<>(strings(redact, "headers"));
    List<String> redactFields = strings(redact, "fields");
    for (String f : redactFields) {
      pattern(f, "redact.fields");
    }
    ProxySettings.Controller controller = controller(root.get("controller"));
    if (!problems.isEmpty() || primary == null || candidate == null) {
      throw new InvalidSettings(problems);
    }
    return new ProxySettings(
        listen,
        admin,
        primary,
        candidate,
        secondary,
        sample,
        rate,
        maxBody,
        primaryTimeout,
        candidateTimeout,
        maxInFlight,
        safe,
        routes,
        compare,
        redactHeaders,
        redactFields,
        controller);
  }

  private CompareOptions compare(@Nullable JsonNode c) {
    if (c == null) {
      return CompareOptions.DEFAULT;
    }
    List<PathPattern> ignore = new ArrayList<>();
    for (String p : strings(c, "ignorePaths")) {
      PathPattern pp = pattern(p, "compare.ignorePaths");
      if (pp != null) {
        ignore.add(pp);
      }
    }
    List<PathPattern> unordered = new ArrayList<>();
    for (String p : strings(c, "unorderedArrays")) {
      PathPattern pp = pattern(p, "compare.unorderedArrays");
      if (pp != null) {
        unordered.add(pp);
      }
    }
    List<Pattern> patterns = new ArrayList<>();
    for (String p : strings(c, "ignorePatterns")) {
      try {
        patterns.add(Pattern.compile(p));
      } catch (PatternSyntaxException e) {
        problems.add("compare.ignorePatterns: not a regular expression: " + p);
      }
    }
    double tolerance = number(c, "numericTolerance", 0, 0, 1e12);
    return new CompareOptions(
        ignore,
        unordered,
        tolerance,
        new HashSet<>(strings(c, "headers")),
        new HashSet<>(strings(c, "ignoreHeaders")),
        patterns);
  }

  private ProxySettings.@Nullable Controller controller(@Nullable JsonNode c) {
    if (c == null) {
      return null;
    }
    URI url = url(c, "url", true);
    JsonNode plan = c.get("plan");
    if (plan == null || plan.asString().isBlank()) {
      problems.add(
          "controller.plan: required, the plan whose rollouts these comparisons belong to");
    }
    String token = null;
    JsonNode file = c.get("tokenFile");
    JsonNode var = c.get("tokenEnv");
    if (c.get("token") != null) {
      problems.add("controller.token: never write a token here; use tokenFile or tokenEnv");
    } else if (file != null) {
      try {
        token = Files.readString(Path.of(file.asString())).strip();
      } catch (IOException | RuntimeException e) {
        problems.add("controller.tokenFile: cannot read " + file.asString());
      }
    } else if (var != null) {
      token = env.apply(var.asString());
      if (token == null || token.isBlank()) {
        problems.add(
            "controller.tokenEnv: the environment variable " + var.asString() + " is not set");
      }
    } else {
      problems.add("controller: needs tokenFile or tokenEnv");
    }
    Duration interval = duration(c, "reportInterval", Duration.ofSeconds(1));
    if (url == null || plan == null || token == null) {
      return null;
    }
    return new ProxySettings.Controller(url, plan.asString(), token, interval);
  }

  private java.util.Optional<ProxySettings.Route> route(
      String text, @Nullable String name, String at) {
    try {
      return java.util.Optional.of(ProxySettings.Route.parse(text, name));
    } catch (IllegalArgumentException e) {
      problems.add(at + ": " + e.getMessage());
      return java.util.Optional.empty();
    }
  }

  private @Nullable PathPattern pattern(String text, String at) {
    try {
      return PathPattern.of(text);
    } catch (IllegalArgumentException e) {
      problems.add(at + ": " + e.getMessage());
      return null;
    }
  }

  private List<String> strings(@Nullable JsonNode parent, String name) {
    JsonNode n = parent == null ? null : parent.get(name);
    if (n == null) {
      return List.of();
    }
    if (!n.isArray()) {
      problems.add(name + ": must be a list");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (JsonNode v : n.values()) {
      out.add(v.asString());
    }
    return out;
  }

  private int port(JsonNode root, String name, int dflt) {
    return (int) number(root, name, dflt, 0, 65535);
  }

  private double number(JsonNode parent, String name, double dflt, double min, double max) {
    JsonNode n = parent.get(name);
    if (n == null) {
      return dflt;
    }
    if (!n.isNumber() || n.asDouble() < min || n.asDouble() > max) {
      problems.add(name + ": must be a number from " + fmt(min) + " to " + fmt(max) + ", was " + n);
      return dflt;
    }
    return n.asDouble();
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  private @Nullable URI url(JsonNode parent, String name, boolean required) {
    JsonNode n = parent.get(name);
    if (n == null) {
      if (required) {
        problems.add(name + ": required, an http:// or https:// URL");
      }
      return null;
    }
    try {
      URI u = URI.create(n.asString());
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw new IllegalArgumentException();
      }
      return u;
    } catch (IllegalArgumentException e) {
      problems.add(name + ": must be an http:// or https:// URL, was " + n.asString());
      return null;
    }
  }

  private Duration duration(JsonNode parent, String name, Duration dflt) {
    JsonNode n = parent.get(name);
    if (n == null) {
      return dflt;
    }
    java.util.regex.Matcher m = Pattern.compile("(\\d+)(ms|s|m)").matcher(n.asString());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      problems.add(
          name + ": must be a positive duration like 500ms, 2s or 1m; was " + n.asString());
      return dflt;
    }
    long v = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(v);
      case "s" -> Duration.ofSeconds(v);
      default -> Duration.ofMinutes(v);
    };
  }
}
