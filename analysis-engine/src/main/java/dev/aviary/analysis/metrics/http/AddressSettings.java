package dev.aviary.analysis.metrics.http;

import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The settings of a provider that needs only where its service is and how to call it: {@code
 * address} and the shared {@code timeout}, {@code headers} and {@code auth}.
 */
public record AddressSettings(URI address, HttpOptions http) {

  public static Parsed<AddressSettings> parse(Map<String, ?> raw) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(raw, violations);
    URI address = r.httpUrl("address", true);
    HttpOptions http = HttpOptions.read(r);
    r.rejectUnknown();
    return Parsed.of(address == null ? null : new AddressSettings(address, http), violations);
  }
}
