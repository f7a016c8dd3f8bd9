package dev.aviary.controller.routing.nginx;

import dev.aviary.analysis.metrics.QueryLanguage;
import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.controller.routing.RouterException;
import dev.aviary.controller.routing.RouterMetric;
import dev.aviary.controller.routing.RouterTarget;
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
    super(TYPE, RouterCapability.WEIGHTED_SPLIT, RouterCapability.ALTERNATING_SLOTS);
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

  private static String selector(String upstream, List<String> servers) {
    return "upstream=\"" + upstream + "\",backend=~\"" + QueryLanguage.promqlAnyOf(servers) + "\"";
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

    private final NginxSettings settings;
    private final RouterTarget target;
    private final WeightSplit split;

    NginxRouter(NginxSettings settings, RouterTarget target) {
      this.settings = settings;
      this.target = target;
      this.split = new WeightSplit(SCALE, settings.stable().size(), settings.canary().size());
    }

    String render(int weight) {
      int[] weights = split.encode(weight);
      StringBuilder sb = new StringBuilder();
      sb.append("# Written by Aviary for plan ")
          .append(target.plan())
          .append(". Aviary rewrites this file: do not edit it.\n");
      sb.append("upstream ").append(settings.upstream()).append(" {\n");
      List<String> servers = servers();
      for (int i = 0; i < servers.size(); i++) {
        String role = i < settings.stable().size() ? "stable" : "canary";
        sb.append("    server ").append(servers.get(i));
        sb.append(weights[i] == 0 ? " down;" : " weight=" + weights[i] + ";");
        sb.append("  # ").append(role).append('\n');
      }
      sb.append("}\n");
      return sb.toString();
    }

    private List<String> servers() {
      List<String> all = new ArrayList<>(settings.stable());
      all.addAll(settings.canary());
      return all;
    }

    @Override
    public void setCanaryWeight(int weight) {
      String wanted = render(weight);
      Path file = settings.includeFile();
      try {
        if (Files.exists(file) && Files.readString(file).equals(wanted)) {
          return; // already so: nothing to write, nothing to reload
        }
        byte[] previous = Files.exists(file) ? Files.readAllBytes(file) : null;
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        Files.writeString(temp, wanted, StandardCharsets.UTF_8);
        move(temp, file);
        String problem = run(settings.binary(), "-t", "-q", "-c", settings.mainConfig().toString());
        if (problem != null) {
          restore(file, previous);
          throw RouterException.fatal(
              "nginx rejected the configuration, the previous file is back in place: " + problem);
        }
        reload();
      } catch (IOException e) {
        throw RouterException.retryable("cannot write " + file + ": " + e.getMessage(), e);
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

    @Override
    public void finish(boolean promoted) {
      setCanaryWeight(promoted ? 100 : 0);
    }
  }
}
