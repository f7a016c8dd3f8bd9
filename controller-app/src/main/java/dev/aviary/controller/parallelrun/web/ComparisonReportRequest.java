package dev.aviary.controller.parallelrun.web;

import dev.aviary.controller.platform.web.DocumentReader;
import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import dev.aviary.parallelrun.report.ComparisonReport;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a comparing proxy or an experiment reports: the comparisons it counted since its last report
 * (a delta), per endpoint and field path, and a few redacted samples. See docs/parallel-run.md.
 *
 * @param source the reporting instance, stable for its lifetime
 * @param sequence increases by one with every report of {@code source}; a report sent again with
 *     the same sequence counts once
 * @param rolloutId the rollout the controller named in its last answer; absent before the first
 * @param from when the first comparison counted here ended
 * @param to when the report was made
 * @param endpoints counts per endpoint
 * @param samples mismatching exchanges, redacted
 */
@JsonDeserialize(using = ComparisonReportRequest.Reader.class)
record ComparisonReportRequest(
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "proxy-1234@checkout-7f9c")
        String source,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "1") long sequence,
    @Nullable String rolloutId,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant from,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant to,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
        List<ComparisonReport.EndpointCounts> endpoints,
    List<ComparisonReport.Sample> samples) {

  static final int MAX_ENDPOINTS = 1000;
  static final int MAX_SAMPLES = 200;

  ComparisonReport toReport() {
    return new ComparisonReport(source, sequence, rolloutId, from, to, endpoints, samples);
  }

  /** Every field checked, every violation named. */
  static final class Reader extends DocumentReader<ComparisonReportRequest> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    protected Parsed<ComparisonReportRequest> read(Map<String, Object> body) {
      List<SettingViolation> violations = new ArrayList<>();
      SettingsReader r = new SettingsReader(body, violations);
      String source = r.requiredString("source");
      if (source != null && (source.isBlank() || source.length() > 200)) {
        r.violation("source", "must be 1 to 200 characters");
      }
      r.allow("sequence");
      Long sequence = null;
      if (!(body.get("sequence") instanceof Number n)
          || n.longValue() < 1
          || n.doubleValue() != n.longValue()) {
        r.violation("sequence", "is required: a whole number from 1, one more with every report");
      } else {
        sequence = n.longValue();
      }
      String rolloutId = r.string("rolloutId").orElse(null);
      if (rolloutId != null) {
        try {
          UUID.fromString(rolloutId);
        } catch (IllegalArgumentException e) {
          r.violation("rolloutId", "must be the rollout id the controller answered");
        }
      }
      Instant from = instant(r, "from");
      Instant to = instant(r, "to");
      if (from != null && to != null && to.isBefore(from)) {
        r.violation("to", "must not be before from");
      }
      List<ComparisonReport.EndpointCounts> endpoints = new ArrayList<>();
      List<SettingsReader> es = r.objects("endpoints");
      if (!r.has("endpoints")) {
        r.violation("endpoints", "is required: a list, empty when nothing was compared");
      } else if (es.size() > MAX_ENDPOINTS) {
        r.violation("endpoints", "holds at most " + MAX_ENDPOINTS + " endpoints");
      }
      for (SettingsReader e : es) {
        ComparisonReport.EndpointCounts c = endpoint(e);
        if (c != null) {
          endpoints.add(c);
        }
      }
      List<ComparisonReport.Sample> samples = new ArrayList<>();
      List<Object> raw = r.has("samples") ? r.list("samples") : List.of();
      if (raw.size() > MAX_SAMPLES) {
        r.violation("samples", "holds at most " + MAX_SAMPLES + " samples");
      } else {
        for (int i = 0; i < raw.size(); i++) {
          try {
            samples.add(JSON.convertValue(raw.get(i), ComparisonReport.Sample.class));
          } catch (RuntimeException ex) {
            r.violation(
                "samples[" + i + "]",
                "must be {endpoint, paths, request, requestBody, primary, candidate, secondary?, at}");
          }
        }
      }
      r.rejectUnknown();
      if (source == null || sequence == null || from == null || to == null) {
        return Parsed.of(null, violations);
      }
      return Parsed.of(
          new ComparisonReportRequest(source, sequence, rolloutId, from, to, endpoints, samples),
          violations);
    }

    private static @Nullable Instant instant(SettingsReader r, String key) {
      String text = r.requiredString(key);
      if (text == null) {
        return null;
      }
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        r.violation(key, "must be an instant such as 2026-12-01T10:00:00Z");
        return null;
      }
    }

    private static ComparisonReport.@Nullable EndpointCounts endpoint(SettingsReader e) {
      String name = e.requiredString("endpoint");
      long compared = count(e, "compared");
      long secondary = count(e, "secondaryCompared");
      long skipped = count(e, "skipped");
      if (secondary > compared) {
        e.violation("secondaryCompared", "must not exceed compared");
      }
      List<ComparisonReport.PathCounts> paths = new ArrayList<>();
      for (SettingsReader p : e.objects("paths")) {
        String path = p.requiredString("path");
        long c = count(p, "candidate");
        long s = count(p, "secondary");
        if (c > compared) {
          p.violation("candidate", "must not exceed the endpoint's compared");
        }
        if (s > secondary) {
          p.violation("secondary", "must not exceed the endpoint's secondaryCompared");
        }
        p.rejectUnknown();
        if (path != null) {
          paths.add(new ComparisonReport.PathCounts(path, c, s));
        }
      }
      List<ComparisonReport.SignatureCount> signatures = new ArrayList<>();
      long signed = 0;
      for (SettingsReader s : e.objects("signatures")) {
        List<String> ps = new ArrayList<>();
        for (Object o : s.list("paths")) {
          if (o instanceof String str) {
            ps.add(str);
          } else {
            s.violation("paths", "must be a list of field paths");
          }
        }
        long n = count(s, "count");
        signed += n;
        s.rejectUnknown();
        signatures.add(new ComparisonReport.SignatureCount(ps, n));
      }
      if (signed != compared) {
        e.violation(
            "signatures",
            "must count every compared request once: they add up to "
                + signed
                + ", compared is "
                + compared);
      }
      e.rejectUnknown();
      return name == null
          ? null
          : new ComparisonReport.EndpointCounts(
              name, compared, secondary, skipped, paths, signatures);
    }

    private static long count(SettingsReader r, String key) {
      Object v = r.raw().get(key);
      if (v == null) {
        r.violation(key, "is required: a count, 0 or more");
        return 0;
      }
      if (!(v instanceof Number n)
          || n.doubleValue() < 0
          || n.doubleValue() != Math.rint(n.doubleValue())) {
        r.violation(key, "must be a count, 0 or more");
        return 0;
      }
      r.allow(key);
      return n.longValue();
    }
  }
}
