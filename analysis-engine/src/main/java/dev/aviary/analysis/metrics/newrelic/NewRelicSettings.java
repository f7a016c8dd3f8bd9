package dev.aviary.analysis.metrics.newrelic;

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

/**
 * Settings of a New Relic provider.
 *
 * <pre>{@code
 * "accountId": 1234567, "region": "eu",       // or "address": "https://api.eu.newrelic.com"
 * "auth": {"userKey": {"env": "NEW_RELIC_USER_KEY"}}, "delay": "1m", "timeout": "10s"
 * }</pre>
 *
 * @param address NerdGraph's base URL ({@code /graphql} is appended)
 * @param accountId the account the NRQL runs in
 * @param userKey a user key, sent as {@code API-Key}
 * @param delay how far behind the window's end events may still be arriving
 * @param timeout per request; NRQL is told the same
 */
record NewRelicSettings(
    URI address, long accountId, SecretRef userKey, Duration delay, Duration timeout) {

  static final String US = "https://api.newrelic.com";
  static final Map<String, String> REGIONS = Map.of("us", US, "eu", "https://api.eu.newrelic.com");

  static Parsed<NewRelicSettings> parse(Map<String, ?> raw) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(raw, violations);
    URI address = r.httpUrl("address", false);
    Optional<String> region = r.string("region");
    if (address != null && region.isPresent()) {
      r.violation("region", "choose one of region or address");
    }
    String base = r.oneOf("region", REGIONS, US);
    if (address == null) {
      address = URI.create(base);
    }
    Integer account = r.optionalInteger("accountId", 1, Integer.MAX_VALUE);
    if (!r.has("accountId")) {
      r.violation("accountId", "is required: the New Relic account the NRQL runs in");
    }
    SecretRef key = null;
    Optional<SettingsReader> auth = r.object("auth");
    if (auth.isPresent()) {
      key = auth.get().secret("userKey", true);
      auth.get().rejectUnknown();
    } else {
      r.violation("auth", "is required: {\"userKey\": {\"env\": \"NEW_RELIC_USER_KEY\"}}");
    }
    Duration delay = r.duration("delay", Duration.ZERO, true);
    Duration timeout = r.duration("timeout", Duration.ofSeconds(10));
    if (timeout.compareTo(Duration.ofMinutes(2)) > 0) {
      r.violation("timeout", "must not exceed 2m, NRQL's own limit");
    }
    r.rejectUnknown();
    return account == null || key == null
        ? Parsed.of(null, violations)
        : Parsed.of(new NewRelicSettings(address, account, key, delay, timeout), violations);
  }
}
