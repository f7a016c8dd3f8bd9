package dev.aviary.controller.routing.nginx;

import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which include file holds the weighted upstream, which servers are stable and canary, and how to
 * validate and reload nginx.
 *
 * <pre>{@code
 * "router": {"type": "nginx", "upstream": "checkout", "includeFile": "/etc/nginx/conf.d/aviary-checkout.conf",
 *            "stable": ["10.0.0.1:8080"], "canary": ["10.0.0.2:8080"],
 *            "mainConfig": "/etc/nginx/nginx.conf", "pidFile": "/run/nginx.pid", "binary": "/usr/sbin/nginx",
 *            "sticky": true, "mirrorInclude": "/etc/nginx/aviary/checkout-mirror.conf"}
 * }</pre>
 *
 * @param sticky whether a caller keeps the group that answered them (a cookie {@code
 *     aviary_<upstream>}) while it has a share
 * @param mirrorInclude a file included in the {@code server} block, which Aviary writes for {@code
 *     mirror} steps; null: no mirroring
 */
record NginxSettings(
    String upstream,
    Path includeFile,
    List<String> stable,
    List<String> canary,
    Path mainConfig,
    Path pidFile,
    String binary,
    Duration timeout,
    boolean sticky,
    @Nullable Path mirrorInclude) {

  private static final Pattern UPSTREAM = Pattern.compile("[A-Za-z0-9_\\-]{1,63}");
  private static final Pattern SERVER =
      Pattern.compile(
          "(unix:/[^;\\s]+|[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9a-fA-F:]+](:\\d{1,5})?)");

  static Parsed<NginxSettings> parse(Map<String, ?> raw) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(raw, violations);
    String upstream = r.requiredString("upstream");
    if (upstream != null && !UPSTREAM.matcher(upstream).matches()) {
      r.violation("upstream", "must be letters, digits, '_' or '-'");
    }
    Path includeFile = absolutePath(r, "includeFile", null);
    List<String> stable = servers(r, "stable");
    List<String> canary = servers(r, "canary");
    if (stable.stream().anyMatch(canary::contains)) {
      r.violation("canary", "a server cannot be both stable and canary");
    }
    Path mainConfig = absolutePath(r, "mainConfig", "/etc/nginx/nginx.conf");
    Path pidFile = absolutePath(r, "pidFile", "/run/nginx.pid");
    String binary = r.string("binary").orElse("/usr/sbin/nginx");
    if (!binary.startsWith("/")) {
      r.violation("binary", "must be the absolute path of the nginx binary");
    }
    Duration timeout = r.duration("timeout", Duration.ofSeconds(10));
    boolean sticky = r.bool("sticky", false);
    Path mirrorInclude = r.has("mirrorInclude") ? absolutePath(r, "mirrorInclude", null) : null;
    if (mirrorInclude != null && mirrorInclude.equals(includeFile)) {
      r.violation("mirrorInclude", "must differ from includeFile: it goes in the server block");
    }
    r.rejectUnknown();
    if (upstream == null || includeFile == null || mainConfig == null || pidFile == null) {
      return Parsed.of(null, violations);
    }
    return Parsed.of(
        new NginxSettings(
            upstream,
            includeFile,
            stable,
            canary,
            mainConfig,
            pidFile,
            binary,
            timeout,
            sticky,
            mirrorInclude),
        violations);
  }

  private static @Nullable Path absolutePath(
      SettingsReader r, String key, @Nullable String absent) {
    String text = absent == null ? r.requiredString(key) : r.string(key).orElse(absent);
    if (text == null) {
      return null;
    }
    if (!text.startsWith("/")) {
      r.violation(key, "must be an absolute path");
      return null;
    }
    return Path.of(text);
  }

  private static List<String> servers(SettingsReader r, String key) {
    List<String> out = new ArrayList<>();
    Object v = r.raw().get(key);
    r.allow(key);
    if (v == null) {
      r.violation(key, "is required: an upstream server (host:port) or a list of them");
      return out;
    }
    List<?> items = v instanceof List<?> l ? l : List.of(v);
    if (items.isEmpty()) {
      r.violation(key, "must name at least one server");
    }
    for (Object item : items) {
      if (item instanceof String s && SERVER.matcher(s).matches()) {
        out.add(s);
      } else {
        r.violation(key, "must hold servers written host:port, found " + item);
      }
    }
    return out;
  }
}
