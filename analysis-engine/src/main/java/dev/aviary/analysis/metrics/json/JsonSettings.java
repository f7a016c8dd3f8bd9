package dev.aviary.analysis.metrics.json;

import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import dev.aviary.analysis.metrics.http.HttpOptions;
import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a web metric, after Argo Rollouts' {@code web} provider: the metric's query is the
 * URL; the number is picked out of the JSON answer with a JSONPath.
 *
 * @param method GET (default), POST or PUT
 * @param body request body template for POST/PUT, rendered with the query's variables
 * @param jsonPath where the number is, e.g. {@code $.data.errorRate}; Argo's {@code {$.x}} form is
 *     accepted too
 * @param http timeout (default 10s), headers, auth
 */
record JsonSettings(String method, @Nullable String body, JsonPath jsonPath, HttpOptions http) {

  static final Map<String, String> METHODS = Map.of("get", "GET", "post", "POST", "put", "PUT");

  static Parsed<JsonSettings> parse(Map<String, ?> raw) {
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(raw, violations);
    String method = r.oneOf("method", METHODS, "GET");
    String body = r.string("body").orElse(null);
    if (body != null && method.equals("GET")) {
      r.violation("body", "is only sent with POST or PUT");
    }
    JsonPath path = null;
    String pathText = r.requiredString("jsonPath");
    if (pathText != null) {
      try {
        path = JsonPath.compile(unwrap(pathText));
      } catch (InvalidPathException | IllegalArgumentException e) {
        r.violation("jsonPath", "is not a valid JSONPath: " + e.getMessage());
      }
    }
    HttpOptions http = HttpOptions.read(r);
    r.rejectUnknown();
    return path == null
        ? Parsed.of(null, violations)
        : Parsed.of(new JsonSettings(method, body, path, http), violations);
  }

  /** Argo Rollouts writes JSONPath in Kubernetes style, {@code {$.data.ok}}. */
  static String unwrap(String path) {
    String p = path.trim();
    if (p.startsWith("{") && p.endsWith("}")) {
      p = p.substring(1, p.length() - 1).trim();
    }
    return p;
  }
}
