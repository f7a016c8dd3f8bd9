package dev.aviary.controller.backtest;

import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What to replay.
 *
 * @param from start of the range
 * @param to end of the range
 * @param baseline the baseline's variables (its {@code version} and whatever the queries use)
 * @param canary the canary's variables, to judge a version that ran then against the baseline; null
 *     rehearses the baseline against itself
 * @param weight the canary's share of traffic, in percent, when the baseline is split against
 *     itself
 * @param seed the seed of that split, so that a rehearsal can be repeated exactly
 */
public record BacktestRequest(
    Instant from,
    Instant to,
    Map<String, String> baseline,
    @Nullable Map<String, String> canary,
    @Nullable Integer weight,
    long seed) {

  /** Reads a request body, naming every bad field. */
  public static Parsed<BacktestRequest> read(Map<String, ?> body) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(body, violations);
    Instant from = instant(r, "from");
    Instant to = instant(r, "to");
    Map<String, String> baseline = scope(r, "baseline");
    Map<String, String> canary = r.has("canary") ? scope(r, "canary") : null;
    Integer weight = r.optionalInteger("weight", 1, 99);
    long seed = r.integer("seed", 1, 0, Integer.MAX_VALUE);
    r.rejectUnknown();
    if (from != null && to != null && !to.isAfter(from)) {
      r.violation("to", "must be after from");
    }
    if (!violations.isEmpty() || from == null || to == null) {
      return Parsed.of(null, violations);
    }
    return Parsed.of(new BacktestRequest(from, to, baseline, canary, weight, seed), violations);
  }

  private static @Nullable Instant instant(SettingsReader r, String key) {
    String text = r.requiredString(key);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      r.violation(key, "must be an RFC 3339 time such as 2026-11-24T00:00:00Z, was '" + text + "'");
      return null;
    }
  }

  /** A scope of query variables ({@code canary}, {@code baseline}): strings or numbers only. */
  public static Map<String, String> scope(SettingsReader r, String key) {
    Map<String, String> scope = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : r.entries(key).entrySet()) {
      if (e.getValue() instanceof String || e.getValue() instanceof Number) {
        scope.put(e.getKey(), String.valueOf(e.getValue()));
      } else {
        r.violation(key + "." + e.getKey(), "must be a string");
      }
    }
    return scope;
  }
}
