package dev.aviary.controller.freeze.web;

import dev.aviary.controller.platform.web.DocumentReader;
import dev.aviary.kernel.Durations;
import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * {@code POST /api/v1/freezes}: why, which plans, and from when until when.
 *
 * @param reason why, in words (at most 1,000 characters)
 * @param labels the labels a plan must all carry to be frozen; absent or empty: every plan
 * @param from when it begins (RFC 3339); now when absent
 * @param until when it ends (RFC 3339); or give {@code duration}
 * @param duration how long from {@code from}, such as {@code 48h}; or give {@code until}
 */
@JsonDeserialize(using = FreezeRequest.Reader.class)
@Schema(
    name = "FreezeRequest",
    example =
        "{\"reason\": \"Black Friday: no releases\", \"labels\": {\"tier\": \"1\"}, \"until\":"
            + " \"2026-11-30T06:00:00Z\"}")
record FreezeRequest(
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 1000) String reason,
    Map<String, String> labels,
    @Nullable Instant from,
    @Schema(description = "either until or duration") @Nullable Instant until,
    @Schema(example = "48h") @Nullable String duration) {

  static final Duration LONGEST = Duration.ofDays(90);
  private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,62}");
  private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9._-]{0,63}");

  /** When it ends. */
  Instant end(Instant start) {
    if (until != null) {
      return until;
    }
    return start.plus(
        Durations.parse(String.valueOf(duration))
            .orElseThrow(() -> new IllegalStateException("the reader checked duration")));
  }

  /** Names each label no plan could carry. */
  static void checkLabels(SettingsReader r, Map<String, String> labels) {
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (!LABEL_KEY.matcher(e.getKey()).matches()
          || !LABEL_VALUE.matcher(e.getValue()).matches()) {
        r.violation(
            "labels." + e.getKey(),
            "is not a label a plan can carry (key: letters, digits, '.', '_', '/', '-'; value:"
                + " letters, digits, '.', '_', '-')");
      }
    }
  }

  static final class Reader extends DocumentReader<FreezeRequest> {
    @Override
    protected Parsed<FreezeRequest> read(Map<String, Object> body) {
      List<SettingViolation> violations = new ArrayList<>();
      SettingsReader r = new SettingsReader(body, violations);
      String reason = r.requiredString("reason");
      if (reason != null && reason.length() > 1000) {
        r.violation("reason", "must be at most 1000 characters");
      }
      Map<String, String> labels = r.stringMap("labels");
      checkLabels(r, labels);
      Instant from = instant(r, "from");
      Instant until = instant(r, "until");
      Duration duration = r.optionalDuration("duration");
      r.rejectUnknown();
      if (r.has("until") == r.has("duration")) {
        r.violation(
            r.has("until") ? "duration" : "until",
            r.has("until")
                ? "give until or duration, not both"
                : "is required: when the freeze ends (or give duration, such as \"48h\")");
      } else {
        Instant start = from != null ? from : Instant.now();
        Instant end = until != null ? until : duration != null ? start.plus(duration) : null;
        String field = until != null ? "until" : "duration";
        if (end != null && !end.isAfter(start)) {
          r.violation(field, "must end after it begins (" + start + ")");
        } else if (end != null && Duration.between(start, end).compareTo(LONGEST) > 0) {
          r.violation(field, "a freeze lasts at most " + Durations.format(LONGEST));
        } else if (end != null && !end.isAfter(Instant.now())) {
          r.violation(field, "has passed already");
        }
      }
      return reason == null
          ? Parsed.of(null, violations)
          : Parsed.of(
              new FreezeRequest(
                  reason.strip(),
                  labels,
                  from,
                  until,
                  duration == null ? null : Durations.format(duration)),
              violations);
    }

    private static @Nullable Instant instant(SettingsReader r, String key) {
      Optional<String> text = r.string(key);
      if (text.isEmpty()) {
        return null;
      }
      try {
        return OffsetDateTime.parse(text.get()).toInstant();
      } catch (DateTimeParseException e) {
        r.violation(key, "must be an RFC 3339 instant such as 2026-11-30T06:00:00Z");
        return null;
      }
    }
  }
}
