package dev.aviary.controller.freeze.web;

import dev.aviary.controller.platform.web.DocumentReader;
import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * {@code POST /api/v1/concurrency-limits}: which plans, how many of their rollouts at once, why.
 *
 * @param labels the labels a plan must all carry to count (at least one)
 * @param maxActive how many of their rollouts may be under way at once (1..1000)
 * @param reason why, in words
 */
@JsonDeserialize(using = LimitRequest.Reader.class)
@Schema(
    name = "ConcurrencyLimitRequest",
    example =
        "{\"labels\": {\"tier\": \"1\"}, \"maxActive\": 1, \"reason\": \"one tier-1 release at a"
            + " time\"}")
record LimitRequest(
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Map<String, String> labels,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "1", maximum = "1000")
        int maxActive,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 1000) String reason) {

  static final class Reader extends DocumentReader<LimitRequest> {
    @Override
    protected Parsed<LimitRequest> read(Map<String, Object> body) {
      List<SettingViolation> violations = new ArrayList<>();
      SettingsReader r = new SettingsReader(body, violations);
      Map<String, String> labels = r.stringMap("labels");
      if (labels.isEmpty() && !r.has("labels")) {
        r.violation(
            "labels", "is required: the labels a plan must carry to count, {\"tier\": \"1\"}");
      } else if (labels.isEmpty()) {
        r.violation(
            "labels",
            "must name at least one label (a freeze covers every plan, a limit does not)");
      }
      FreezeRequest.checkLabels(r, labels);
      Integer max = r.optionalInteger("maxActive", 1, 1000);
      if (max == null && !r.has("maxActive")) {
        r.violation("maxActive", "is required: how many rollouts may be under way at once");
      }
      String reason = r.requiredString("reason");
      if (reason != null && reason.length() > 1000) {
        r.violation("reason", "must be at most 1000 characters");
      }
      r.rejectUnknown();
      return reason == null || max == null
          ? Parsed.of(null, violations)
          : Parsed.of(new LimitRequest(labels, max, reason.strip()), violations);
    }
  }
}
