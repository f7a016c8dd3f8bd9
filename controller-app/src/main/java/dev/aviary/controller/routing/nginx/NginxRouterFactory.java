package dev.aviary.controller.routing.nginx;

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
import dev.aviary.kernel.Parsed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * nginx with a weighted {@code upstream} block in an include file that Aviary owns: written to a
 * temporary file, moved into place atomically, checked with {@code nginx -t}, and applied by
 * sending SIGHUP to the master process named in the pid file. A configuration nginx rejects is
 * replaced by the previous file at once, and the error is reported with nginx's own words.
 */
@Component
class NginxRouterFactory extends SettingsRouterFactory<NginxSettings> {

  static final String TYPE = "nginx";

  /** nginx weights are at least 1; a server with no share is marked {@code down}. */
  static final int SCALE = 100;

  NginxRouterFactory() {
    super(
        TYPE,
        RouterCapability.WEIGHTED_SPLIT,
        RouterCapability.HEADER_ROUTING,
        RouterCapability.COOKIE_ROUTING,
        RouterCapability.STICKY_SESSIONS,
        RouterCapability.MIRRORING,
        RouterCapability.ALTERNATING_SLOTS);
  }

  @Override
  public java.util.Optional<String> missingSetting(
      RouterCapability capability, Map<String, ?> raw) {
    NginxSettings settings = NginxSettings.parse(raw).value();
    if (settings != null
        && capability == RouterCapability.MIRRORING
        && settings.mirrorInclude() == null) {
      return java.util.Optional.of(
          "the nginx router mirrors through a file included in the server block: set"
              + " mirrorInclude (docs/routers.md#nginx)");
    }
    return java.util.Optional.empty();
  }

  @Override
  protected Parsed<NginxSettings> parse(Map<String, ?> settings) {
    return NginxSettings.parse(settings);
  }

  @Override
  public java.util.Set<String> metricTemplates() {
    return java.util.Set.of(RouterMetric.HTTP_ERROR_RATE, RouterMetric.HTTP_LATENCY);
  }

  /**
   * {@code http-error-rate} from the nginx VTS module's Prometheus output ({@code
   * vhost_traffic_status_display_format prometheus}): {@code
   * nginx_vts_upstream_requests_total{upstream, backend, code}} of the upstream's canary servers,
   * {@code code="5xx"} against every code class, and the same of its stable servers; {@code
   * http-latency} from its {@code nginx_vts_upstream_response_duration_seconds} histogram of each
   * group. VTS names a server by the address nginx reached it at, so the template finds servers
   * written as addresses.
   */
  @Override
  public java.util.Optional<RouterMetric> metricTemplate(String name, Map<String, ?> raw) {
    NginxSettings settings = NginxSettings.parse(raw).value();
    if (!metricTemplates().contains(name)
        || settings == null
        || !java.util.stream.Stream.concat(settings.stable().stream(), settings.canary().stream())
            .allMatch(s -> s.matches("[A-Za-z0-9.:\\[\\]-]+"))) {
      return java.util.Optional.empty(); // unix sockets: VTS names them, PromQL need not
    }
    String canary = selector(settings.upstream(), settings.canary());
    String stable = selector(settings.upstream(), settings.stable());
    if (name.equals(RouterMetric.HTTP_LATENCY)) {
      // VTS's histogram of upstream response times, in seconds, with
      // vhost_traffic_status_histogram_buckets set
      return java.util.Optional.of(
          RouterMetric.histogram(
              latency(canary),
              latency(stable),
              "prometheus",
              "the nginx VTS module's Prometheus output"
                  + " (nginx_vts_upstream_response_duration_seconds)"));
    }
    return java.util.Optional.of(
        new RouterMetric(
            vts(canary + ",code=\"5xx\""),
            vts(canary),
            vts(stable + ",code=\"5xx\""),
            vts(stable),
            "prometheus",
            "the nginx VTS module's Prometheus output (nginx_vts_upstream_requests_total)"));
  }

  /**
   * The servers in the weighted upstream and in the group's own one (where header routes and sticky
   * callers go): an upstream name holds letters, digits, '_' and '-' only.
   */
  private static String selector(String upstream, List<String> servers) {
    return "upstream=~\""
        + upstream
        + "(__stable|__canary)?\",backend=~\""
        + QueryLanguage.promqlAnyOf(servers)
        + "\"";
  }

  private static String latency(String selector) {
    return "sum by (le) (increase(nginx_vts_upstream_response_duration_seconds_bucket{"
        + selector
        + "}[${window}]))";
  }

  private static String vts(String selector) {
    return "sum(increase(nginx_vts_upstream_requests_total{" + selector + "}[${window}]))";
  }

  @Override
  protected String destination(NginxSettings settings) {
    return "nginx " + settings.mainConfig();
  }

  @Override
  protected TrafficRouter create(RouterTarget target, NginxSettings settings) {
    return new NginxRouter(settings, target);
  }

  static final class NginxRouter implements TrafficRouter {
    private static final Pattern SERVER_LINE =
        Pattern.compile(
            "^\\s*server\\s+(\\S+?)\\s*(weight=(\\d+))?\\s*(down)?\\s*;", Pattern.MULTILINE);
    private static final Pattern ROUTES_LINE =
        Pattern.compile("^# aviary (routes:v1;\\S*)$", Pattern.MULTILINE);

    private final NginxSettings settings;
    private final RouterTarget target;
    private final WeightSplit split;

    NginxRouter(NginxSettings settings, RouterTarget target) {
      this.settings = settings;
      this.target = target;
      this.split = new WeightSplit(SCALE, settings.stable().size(), settings.canary().size());
    }

    String render(int weight) {
      return render(weight, Routes.NONE);
    }

    /**
     * The include file: the weighted upstream as before ({@code proxy_pass http://<upstream>}),
     * each group as an upstream of its own, and {@code $aviary_<upstream>} naming the upstream a
     * request goes to once header routes and stickiness are applied ({@code proxy_pass
     * http://$aviary_<upstream>}); with stickiness, {@code $aviary_<upstream>_cookie} is the cookie
     * to set ({@code add_header Set-Cookie $aviary_<upstream>_cookie}).
     */
    String render(int weight, Routes routes) {
      int[] weights = split.encode(weight);
      String up = settings.upstream();
      String var = "$aviary_" + up.replace('-', '_');
      StringBuilder sb = new StringBuilder();
      sb.append("# Written by Aviary for plan ")
          .append(target.plan())
          .append(". Aviary rewrites this file: do not edit it.\n");
      sb.append("# aviary ").append(routes.canonical()).append('\n');
      sb.append("upstream ").append(up).append(" {\n");
      List<String> servers = servers();
      for (int i = 0; i < servers.size(); i++) {
        String role = i < settings.stable().size() ? "stable" : "canary";
        sb.append("    server ").append(servers.get(i));
        sb.append(weights[i] == 0 ? " down;" : " weight=" + weights[i] + ";");
        sb.append("  # ").append(role).append('\n');
      }
      sb.append("}\n");
      group(sb, up + "__stable", settings.stable());
      group(sb, up + "__canary", settings.canary());
      String newGroup = up + (routes.toStable() ? "__stable" : "__canary");
      String fallback = up;
      if (settings.sticky()) {
        boolean stableShare = weight < 100;
        boolean canaryShare = weight > 0;
        sb.append("split_clients \"${request_id}\" ").append(var).append("_split {\n");
        if (canaryShare && stableShare) {
          sb.append("    ").append(weight).append("% ").append(up).append("__canary;\n");
        }
        sb.append("    * ")
            .append(up)
            .append(stableShare ? "__stable" : "__canary")
            .append(";\n}\n");
        String cookie = "aviary_" + up.replace('-', '_');
        sb.append("map $cookie_").append(cookie).append(' ').append(var).append("_sticky {\n");
        if (stableShare) {
          sb.append("    stable ").append(up).append("__stable;\n");
        }
        if (canaryShare) {
          sb.append("    canary ").append(up).append("__canary;\n");
        }
        sb.append("    default ").append(var).append("_split;\n}\n");
        fallback = var.substring(1) + "_sticky";
        sb.append("map ").append(var).append(' ').append(var).append("_cookie {\n");
        sb.append("    ")
            .append(up)
            .append("__stable \"")
            .append(cookie)
            .append("=stable; Path=/; HttpOnly; SameSite=Lax\";\n");
        sb.append("    ")
            .append(up)
            .append("__canary \"")
            .append(cookie)
            .append("=canary; Path=/; HttpOnly; SameSite=Lax\";\n");
        sb.append("    default \"\";\n}\n");
      } else {
        sb.append("map $uri ").append(var).append("_cookie {\n    default \"\";\n}\n");
      }
      // each route a map whose default is the one before: the first route the plan added wins
      String previous = fallback.startsWith("aviary_") ? "$" + fallback : fallback;
      List<HeaderRoute> list = routes.headerRoutes();
      for (int i = list.size() - 1; i >= 0; i--) {
        HeaderRoute route = list.get(i);
        String name = i == 0 ? var : var + "_r" + i;
        String source =
            route.on() == HeaderRoute.On.HEADER
                ? "$http_" + route.key().toLowerCase(java.util.Locale.ROOT).replace('-', '_')
                : "$cookie_" + route.key();
        sb.append("map ")
            .append(source)
            .append(' ')
            .append(name)
            .append(" {  # ")
            .append(route.name())
            .append('\n');
        sb.append("    \"~^(?:")
            .append(quoted(route.valueRegex()))
            .append(")$\" ")
            .append(newGroup)
            .append(";\n");
        sb.append("    default ").append(previous).append(";\n}\n");
        previous = name;
      }
      if (list.isEmpty()) {
        sb.append("map $uri ")
            .append(var)
            .append(" {\n    default ")
            .append(previous)
            .append(";\n}\n");
      }
      sb.append("split_clients \"${request_id}\" ").append(var).append("_mirror {\n");
      if (routes.mirrorPercent() > 0) {
        sb.append("    ").append(routes.mirrorPercent()).append("% 1;\n");
      }
      sb.append("    * \"\";\n}\n");
      return sb.toString();
    }

    /** The server-block file: the mirror and where its copies go, or nothing at 0 %. */
    String renderMirror(Routes routes) {
      String up = settings.upstream();
      String var = "$aviary_" + up.replace('-', '_');
      StringBuilder sb = new StringBuilder();
      sb.append("# Written by Aviary for plan ")
          .append(target.plan())
          .append(". Aviary rewrites this file: do not edit it.\n");
      if (routes.mirrorPercent() == 0) {
        sb.append("# no mirroring\n");
        return sb.toString();
      }
      String location = "/_aviary/mirror/" + up;
      sb.append("mirror ").append(location).append(";\n");
      sb.append("location = ").append(location).append(" {\n");
      sb.append("    internal;\n");
      sb.append("    if (").append(var).append("_mirror = \"\") {\n        return 204;\n    }\n");
      sb.append("    proxy_pass http://")
          .append(up)
          .append(routes.toStable() ? "__stable" : "__canary")
          .append("$request_uri;\n");
      sb.append("}\n");
      return sb.toString();
    }

    private static void group(StringBuilder sb, String name, List<String> servers) {
      sb.append("upstream ").append(name).append(" {\n");
      for (String server : servers) {
        sb.append("    server ").append(server).append(";\n");
      }
      sb.append("}\n");
    }

    /** A regex inside an nginx double-quoted string: backslashes and quotes escaped. */
    private static String quoted(String regex) {
      return regex.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private List<String> servers() {
      List<String> all = new ArrayList<>(settings.stable());
      all.addAll(settings.canary());
      return all;
    }

    @Override
    public void setCanaryWeight(int weight) {
      Routes routes = currentRoutes().orElse(Routes.NONE);
      write(render(weight, routes), routes);
    }

    @Override
    public void setRoutes(Routes routes) {
      if (routes.mirrorPercent() > 0 && settings.mirrorInclude() == null) {
        throw RouterException.fatal("the nginx router needs mirrorInclude to mirror");
      }
      OptionalInt weight = currentCanaryWeight();
      write(render(weight.orElse(0), routes), routes);
    }

    @Override
    public boolean holds(Routes routes) {
      Optional<Routes> held = currentRoutes();
      if (held.isEmpty() || !held.get().sameEffect(routes)) {
        return held.isEmpty() && routes.isEmpty();
      }
      Path mirror = settings.mirrorInclude();
      try {
        return mirror == null
            || (Files.exists(mirror) && Files.readString(mirror).equals(renderMirror(routes)));
      } catch (IOException e) {
        throw RouterException.retryable("cannot read " + mirror + ": " + e.getMessage(), e);
      }
    }

    /** The routes the include file was written with; empty without a file or that line. */
    private Optional<Routes> currentRoutes() {
      String text = read(settings.includeFile());
      if (text == null) {
        return Optional.empty();
      }
      Matcher m = ROUTES_LINE.matcher(text);
      return m.find() ? Routes.parse(m.group(1)) : Optional.empty();
    }

    private static @Nullable String read(Path file) {
      try {
        return Files.exists(file) ? Files.readString(file) : null;
      } catch (IOException e) {
        throw RouterException.retryable("cannot read " + file + ": " + e.getMessage(), e);
      }
    }

    /**
     * Writes the include file (and the mirror file), checks the whole configuration with {@code
     * nginx -t}, and reloads; a configuration nginx rejects is replaced by the previous files.
     */
    private void write(String include, Routes routes) {
      Map<Path, String> wanted = new java.util.LinkedHashMap<>();
      wanted.put(settings.includeFile(), include);
      Path mirror = settings.mirrorInclude();
      if (mirror != null) {
        wanted.put(mirror, renderMirror(routes));
      }
      try {
        Map<Path, byte @Nullable []> previous = new java.util.LinkedHashMap<>();
        for (Map.Entry<Path, String> e : wanted.entrySet()) {
          Path file = e.getKey();
          if (Files.exists(file) && Files.readString(file).equals(e.getValue())) {
            continue;
          }
          previous.put(file, Files.exists(file) ? Files.readAllBytes(file) : null);
        }
        if (previous.isEmpty()) {
          return; // already so: nothing to write, nothing to reload
        }
        for (Path file : previous.keySet()) {
          Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
          Files.writeString(temp, wanted.get(file), StandardCharsets.UTF_8);
          move(temp, file);
        }
        String problem = run(settings.binary(), "-t", "-q", "-c", settings.mainConfig().toString());
        if (problem != null) {
          for (Map.Entry<Path, byte @Nullable []> e : previous.entrySet()) {
            restore(e.getKey(), e.getValue());
          }
          throw RouterException.fatal(
              "nginx rejected the configuration, the previous file is back in place: " + problem);
        }
        reload();
      } catch (IOException e) {
        throw RouterException.retryable(
            "cannot write " + settings.includeFile() + ": " + e.getMessage(), e);
      }
    }

    private static void move(Path from, Path to) throws IOException {
      try {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
      }
    }

    private static void restore(Path file, byte @Nullable [] previous) throws IOException {
      if (previous == null) {
        Files.deleteIfExists(file);
        return;
      }
      Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".restore");
      Files.write(temp, previous);
      move(temp, file);
    }

    /** SIGHUP to the master process: nginx re-reads its configuration without dropping traffic. */
    private void reload() throws IOException {
      String pid;
      try {
        pid = Files.readString(settings.pidFile()).strip();
      } catch (IOException e) {
        throw RouterException.retryable(
            "cannot read nginx's pid file " + settings.pidFile() + ": is nginx running?", e);
      }
      if (!pid.matches("\\d+")) {
        throw RouterException.retryable(
            "nginx's pid file " + settings.pidFile() + " holds no pid", null);
      }
      String problem = run("kill", "-HUP", pid);
      if (problem != null) {
        throw RouterException.retryable("cannot signal nginx (pid " + pid + "): " + problem, null);
      }
    }

    /** Runs a command; null when it exits 0, else what it printed. */
    private @Nullable String run(String... command) throws IOException {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try {
        if (!p.waitFor(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          return command[0] + " did not finish within " + settings.timeout();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.exitValue() == 0 ? null : (output.isEmpty() ? "exit code " + p.exitValue() : output);
    }

    /** What the include file says now: the weight Aviary wrote, or what someone else made of it. */
    @Override
    public OptionalInt currentCanaryWeight() {
      Path file = settings.includeFile();
      String text;
      try {
        if (!Files.exists(file)) {
          return OptionalInt.of(0);
        }
        text = Files.readString(file);
      } catch (IOException e) {
        throw RouterException.retryable("cannot read " + file + ": " + e.getMessage(), e);
      }
      // only the weighted upstream: the groups' own upstreams list the same servers
      Matcher block =
          Pattern.compile(
                  "^upstream " + Pattern.quote(settings.upstream()) + " \\{\\n(.*?)^}",
                  Pattern.MULTILINE | Pattern.DOTALL)
              .matcher(text);
      if (block.find()) {
        text = block.group(1);
      }
      List<String> servers = servers();
      int[] weights = new int[servers.size()];
      Matcher m = SERVER_LINE.matcher(text);
      boolean[] seen = new boolean[servers.size()];
      while (m.find()) {
        int i = servers.indexOf(m.group(1));
        if (i >= 0) {
          seen[i] = true;
          weights[i] =
              m.group(4) != null ? 0 : m.group(3) != null ? Integer.parseInt(m.group(3)) : 1;
        }
      }
      for (int i = 0; i < seen.length; i++) {
        if (!seen[i]) {
          weights[i] = 0; // a server missing from the file takes no traffic
        }
      }
      return split.decode(weights);
    }

    /** All traffic on one group; no route, no mirroring. */
    @Override
    public void finish(boolean promoted) {
      write(render(promoted ? 100 : 0, Routes.NONE), Routes.NONE);
    }
  }
}
