package dev.aviary.controller.routing.haproxy;

import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where HAProxy's runtime API listens and which servers of which backend are stable and canary.
 *
 * <pre>{@code
 * "router": {"type": "haproxy", "address": "127.0.0.1:9999" | "/run/haproxy/admin.sock",
 *            "backend": "app", "stable": ["app-v1"], "canary": ["app-v2"], "timeout": "2s",
 *            "routeMap": "/etc/haproxy/aviary-app.map", "sticky": true}
 * }</pre>
 *
 * @param routeMap the map file (as HAProxy names it: its path, or {@code #<id>}) whose entries
 *     Aviary writes at runtime for header and cookie routes; the backend's {@code use-server} rules
 *     read it (docs/routers.md); null: no header routes
 * @param sticky whether the backend keeps callers on one server with a cookie ({@code cookie ...
 *     insert}): a group with no share is then put in maintenance, so a cookie cannot hold a caller
 *     on it
 */
record HaproxySettings(
    String address,
    String backend,
    List<String> stable,
    List<String> canary,
    Duration timeout,
    @Nullable String routeMap,
    boolean sticky) {

  private static final Pattern MAP = Pattern.compile("[/#][\\x21-\\x7E&&[^;\\\\]]{1,254}");

  private static final Pattern HOST_PORT =
      Pattern.compile("[A-Za-z0-9.\\-]+:\\d{1,5}|\\[[0-9a-fA-F:]+]:\\d{1,5}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:\\-]{1,127}");

  boolean unixSocket() {
    return address.startsWith("/");
  }

  static Parsed<HaproxySettings> parse(Map<String, ?> raw) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(raw, violations);
    String address = r.requiredString("address");
    if (address != null && !address.startsWith("/") && !HOST_PORT.matcher(address).matches()) {
      r.violation(
          "address",
          "must be host:port of the runtime API (stats socket) or the absolute path of its unix socket");
    } else if (address != null && !address.startsWith("/")) {
      int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
      if (port < 1 || port > 65535) {
        r.violation("address", "port must be 1..65535");
      }
    }
    String backend = r.requiredString("backend");
    if (backend != null && !NAME.matcher(backend).matches()) {
      r.violation("backend", "is not a valid HAProxy backend name");
    }
    List<String> stable = servers(r, "stable");
    List<String> canary = servers(r, "canary");
    if (!stable.isEmpty() && stable.stream().anyMatch(canary::contains)) {
      r.violation("canary", "a server cannot be both stable and canary");
    }
    Duration timeout = r.duration("timeout", Duration.ofSeconds(2));
    String routeMap = r.string("routeMap").orElse(null);
    if (routeMap != null && !MAP.matcher(routeMap).matches()) {
      r.violation(
          "routeMap",
          "must name the map file as HAProxy does: its absolute path, or #<id>; no spaces or ';'");
    }
    boolean sticky = r.bool("sticky", false);
    r.rejectUnknown();
    if (address == null || backend == null) {
      return Parsed.of(null, violations);
    }
    return Parsed.of(
        new HaproxySettings(address, backend, stable, canary, timeout, routeMap, sticky),
        violations);
  }

  /** One server name, or a list of them. */
  private static List<String> servers(SettingsReader r, String key) {
    List<String> names = new ArrayList<>();
    Object v = r.raw().get(key);
    r.allow(key);
    if (v == null) {
      r.violation(key, "is required: a server name of the backend, or a list of them");
      return names;
    }
    List<?> items = v instanceof List<?> l ? l : List.of(v);
    if (items.isEmpty()) {
      r.violation(key, "must name at least one server");
    }
    for (Object item : items) {
      if (item instanceof String s && NAME.matcher(s).matches()) {
        names.add(s);
      } else {
        r.violation(key, "must hold server names, found " + item);
      }
    }
    return names;
  }
}
