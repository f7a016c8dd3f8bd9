package dev.aviary.analysis.metrics.prometheus;

import dev.aviary.analysis.metrics.http.HttpOptions;
import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a Prometheus (or Prometheus-compatible: Thanos, Mimir, VictoriaMetrics) provider.
 *
 * @param address base URL; {@code /api/v1/query_range} is appended (a path such as {@code
 *     /prometheus} for Mimir is kept)
 * @param instant true for instant queries ({@code /api/v1/query} at the end of the range)
 * @param step range-query resolution; null picks range / 60, at least 1s
 * @param http timeout, headers, auth
 */
record PrometheusSettings(URI address, boolean instant, @Nullable Duration step, HttpOptions http) {

  static final Map<String, Boolean> MODES = Map.of("range", false, "instant", true);

  static Parsed<PrometheusSettings> parse(Map<String, ?> raw) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(raw, violations);
    URI address = r.httpUrl("address", true);
    if (address != null && (address.getRawQuery() != null || address.getRawFragment() != null)) {
      r.violation("address", "must not carry a query or fragment");
    }
    boolean instant = r.oneOf("mode", MODES, false);
    Duration step = r.optionalDuration("step");
    HttpOptions http = HttpOptions.readAllowingSigV4(r);
    r.rejectUnknown();
    return address == null
        ? Parsed.of(null, violations)
        : Parsed.of(new PrometheusSettings(address, instant, step, http), violations);
  }
}
