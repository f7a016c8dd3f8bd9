package dev.aviary.analysis.metrics.datadog;

import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SecretRef;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a Datadog provider.
 *
 * <pre>{@code
 * "site": "datadoghq.eu",            // or "address": "https://api.datadoghq.eu"
 * "auth": {"apiKey": {"env": "DD_API_KEY"}, "applicationKey": {"env": "DD_APP_KEY"}},
 * "delay": "1m", "timeout": "10s"
 * }</pre>
 *
 * @param address the API's base URL, {@code https://api.<site>} by default
 * @param apiKey sent as {@code DD-API-KEY}
 * @param applicationKey sent as {@code DD-APPLICATION-KEY}
 * @param delay how far behind the window's end the data may still be arriving: each window is read
 *     that much later
 * @param timeout per request
 */
record DatadogSettings(
    URI address, SecretRef apiKey, SecretRef applicationKey, Duration delay, Duration timeout) {

  static final String DEFAULT_SITE = "datadoghq.com";

  static Parsed<DatadogSettings> parse(Map<String, ?> raw) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(raw, violations);
    URI address = r.httpUrl("address", false);
    Optional<String> site = r.string("site");
    if (address != null && site.isPresent()) {
      r.violation("site", "choose one of site or address");
    }
    if (site.isPresent() && !site.get().matches("[a-z0-9]+(\\.[a-z0-9-]+)+")) {
      r.violation("site", "must be a Datadog site such as datadoghq.com or datadoghq.eu");
    }
    if (address == null) {
      address = URI.create("https://api." + site.orElse(DEFAULT_SITE));
    }
    SecretRef apiKey = null;
    SecretRef appKey = null;
    Optional<SettingsReader> auth = r.object("auth");
    if (auth.isPresent()) {
      apiKey = auth.get().secret("apiKey", true);
      appKey = auth.get().secret("applicationKey", true);
      auth.get().rejectUnknown();
    } else {
      r.violation(
          "auth",
          "is required: {\"apiKey\": {\"env\": \"DD_API_KEY\"}, \"applicationKey\": {\"env\":"
              + " \"DD_APP_KEY\"}}");
    }
    Duration delay = r.duration("delay", Duration.ZERO, true);
    Duration timeout = r.duration("timeout", Duration.ofSeconds(10));
    if (timeout.compareTo(Duration.ofMinutes(5)) > 0) {
      r.violation("timeout", "must not exceed 5m");
    }
    r.rejectUnknown();
    @Nullable DatadogSettings settings =
        apiKey == null || appKey == null
            ? null
            : new DatadogSettings(address, apiKey, appKey, delay, timeout);
    return Parsed.of(settings, violations);
  }
}
