package dev.aviary.controller.rollout;

import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/rollouts}: which plan, the canary's scope (its {@code version} and any other
 * variables the plan's queries use), the baseline's, and free metadata for people.
 */
record StartRequest(
    String plan,
    Map<String, String> canary,
    Map<String, String> baseline,
    Map<String, String> metadata) {

  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,62}");

  static Parsed<StartRequest> read(Map<String, ?> body) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(body, violations);
    String plan = r.requiredString("plan");
    Map<String, String> canary = scope(r, "canary", true);
    Map<String, String> baseline = scope(r, "baseline", false);
    Map<String, String> metadata = r.stringMap("metadata");
    r.rejectUnknown();
    return Parsed.of(new StartRequest(plan, canary, baseline, metadata), violations);
  }

  private static Map<String, String> scope(SettingsReader r, String key, boolean versionRequired) {
    Map<String, String> scope = new LinkedHashMap<>();
    if (!r.has(key)) {
      if (versionRequired) {
        r.violation(key, "is required: {\"version\": \"1.4.2\", ...other variables}");
      }
      return scope;
    }
    for (Map.Entry<String, Object> e : r.entries(key).entrySet()) {
      String field = key + "." + e.getKey();
      Object v = e.getValue();
      if (!VARIABLE.matcher(e.getKey()).matches()) {
        r.violation(field, "is not a valid variable name (letters, digits, '_', '.', '-')");
      } else if (v instanceof String || v instanceof Number || v instanceof Boolean) {
        scope.put(e.getKey(), String.valueOf(v));
      } else {
        r.violation(field, "must be a string, number or boolean");
      }
    }
    if (versionRequired && r.raw().get(key) instanceof Map<?, ?> && !scope.containsKey("version")) {
      r.violation(key + ".version", "is required: the version being rolled out");
    }
    return scope;
  }
}
