package dev.aviary.analysis.metrics.influxdb;

import dev.aviary.analysis.metrics.http.HttpOptions;
import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Settings of an InfluxDB provider.
 *
 * <pre>{@code
 * 1.x: {"address": "http://influx:8086", "database": "telegraf",
 *       "auth": {"basic": {"username": "aviary", "password": {"env": "INFLUX_PASSWORD"}}}}
 * 2.x: {"address": "http://influx:8086", "language": "flux", "org": "platform",
 *       "auth": {"token": {"env": "INFLUX_TOKEN"}}}
 * }</pre>
 *
 * @param address base URL
 * @param flux true for Flux ({@code /api/v2/query}), false for InfluxQL ({@code /query})
 * @param database the InfluxQL database; null for Flux
 * @param retentionPolicy the InfluxQL retention policy; null for the database's default
 * @param org the Flux organization; null for InfluxQL
 * @param http timeout, headers, auth (basic, token or bearer)
 */
record InfluxDbSettings(
    URI address,
    boolean flux,
    @Nullable String database,
    @Nullable String retentionPolicy,
    @Nullable String org,
    HttpOptions http) {

  static final Map<String, Boolean> LANGUAGES = Map.of("influxql", false, "flux", true);

  static Parsed<InfluxDbSettings> parse(Map<String, ?> raw) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(raw, violations);
    URI address = r.httpUrl("address", true);
    boolean flux = r.oneOf("language", LANGUAGES, false);
    String database = r.string("database").orElse(null);
    String rp = r.string("retentionPolicy").orElse(null);
    String org = r.string("org").orElse(null);
    if (flux) {
      if (org == null) {
        r.violation("org", "is required with language flux: the organization the bucket is in");
      }
      if (database != null) {
        r.violation("database", "is for InfluxQL; with Flux the query names its bucket");
      }
      if (rp != null) {
        r.violation("retentionPolicy", "is for InfluxQL; with Flux the query names its bucket");
      }
    } else {
      if (database == null) {
        r.violation("database", "is required with InfluxQL: the database the query reads");
      }
      if (org != null) {
        r.violation("org", "is for Flux (language flux)");
      }
    }
    HttpOptions http = HttpOptions.read(r);
    r.rejectUnknown();
    return address == null
        ? Parsed.of(null, violations)
        : Parsed.of(new InfluxDbSettings(address, flux, database, rp, org, http), violations);
  }
}
