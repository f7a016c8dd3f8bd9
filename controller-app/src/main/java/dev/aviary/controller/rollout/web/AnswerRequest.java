package dev.aviary.controller.rollout.web;

import dev.aviary.controller.platform.web.DocumentReader;
import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * An answer to an approval step: {@code POST /api/v1/rollouts/{id}/approve} or {@code .../reject}.
 *
 * @param reason why, in words: recorded in the rollout's events and the audit log; required to
 *     reject
 */
@JsonDeserialize(using = AnswerRequest.Reader.class)
@Schema(name = "ApprovalAnswer", example = "{\"reason\": \"load test green, change CHG-1042\"}")
record AnswerRequest(@Schema(maxLength = MAX_REASON) @Nullable String reason) {

  static final int MAX_REASON = 1000;

  static final class Reader extends DocumentReader<AnswerRequest> {
    @Override
    protected Parsed<AnswerRequest> read(Map<String, Object> body) {
      List<SettingViolation> violations = new ArrayList<>();
      SettingsReader r = new SettingsReader(body, violations);
      Optional<String> reason = r.string("reason");
      if (reason.isPresent() && (reason.get().isBlank() || reason.get().length() > MAX_REASON)) {
        r.violation("reason", "must be 1 to " + MAX_REASON + " characters");
      }
      r.rejectUnknown();
      return Parsed.of(new AnswerRequest(reason.map(String::strip).orElse(null)), violations);
    }
  }
}
