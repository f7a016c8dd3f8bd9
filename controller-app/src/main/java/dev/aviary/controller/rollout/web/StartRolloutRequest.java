package dev.aviary.controller.rollout.web;

import dev.aviary.controller.platform.web.DocumentReader;
import dev.aviary.controller.rollout.StartRequest;
import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * {@code POST /api/v1/rollouts}: which plan, the canary's scope (its {@code version} and any other
 * variables the plan's queries use), the baseline's, and free metadata for people.
 *
 * @param plan the plan to follow
 * @param canary the canary's variables; {@code version} is required
 * @param baseline the baseline's variables, e.g. its {@code version}
 * @param metadata free text for people: commit, pipeline, ticket
 */
@JsonDeserialize(using = StartRolloutRequest.Reader.class)
@Schema(
    example =
        "{\"plan\": \"checkout\", \"canary\": {\"version\": \"1.4.2\"}, \"baseline\": {\"version\":"
            + " \"1.4.1\"}, \"metadata\": {\"commit\": \"9f1c2e7\"}}")
record StartRolloutRequest(
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "checkout") String plan,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Map<String, String> canary,
    Map<String, String> baseline,
    Map<String, String> metadata) {

  StartRequest toStart() {
    return new StartRequest(plan, canary, baseline, metadata);
  }

  /** Every field checked, every violation named. */
  static final class Reader extends DocumentReader<StartRolloutRequest> {

    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,62}");

    @Override
    protected Parsed<StartRolloutRequest> read(Map<String, Object> body) {
      List<SettingViolation> violations = new ArrayList<>();
      SettingsReader r = new SettingsReader(body, violations);
      String plan = r.requiredString("plan");
      Map<String, String> canary = scope(r, "canary", true);
      Map<String, String> baseline = scope(r, "baseline", false);
      Map<String, String> metadata = r.stringMap("metadata");
      r.rejectUnknown();
      return plan == null
          ? Parsed.of(null, violations)
          : Parsed.of(new StartRolloutRequest(plan, canary, baseline, metadata), violations);
    }

    private static Map<String, String> scope(
        SettingsReader r, String key, boolean versionRequired) {
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
      if (versionRequired
          && r.raw().get(key) instanceof Map<?, ?>
          && !scope.containsKey("version")) {
        r.violation(key + ".version", "is required: the version being rolled out");
      }
      return scope;
    }
  }
}
