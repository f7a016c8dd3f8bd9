package dev.aviary.kernel;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Reads typed values out of JSON-shaped settings ({@code Map<String, Object>} holding strings,
 * numbers, booleans, lists and maps) and collects every violation instead of stopping at the first,
 * so that a person sees all that is wrong at once. Call {@link #rejectUnknown()} last: every key no
 * getter asked for is then reported as unknown, with the known ones listed.
 */
public final class SettingsReader {

  private final Map<String, ?> values;
  private final String prefix;
  private final List<SettingViolation> violations;
  private final Set<String> known = new LinkedHashSet<>();

  public SettingsReader(@Nullable Map<String, ?> values, List<SettingViolation> violations) {
    this(values, "", violations);
  }

  private SettingsReader(
      @Nullable Map<String, ?> values, String prefix, List<SettingViolation> violations) {
    this.values = withoutNulls(values);
    this.prefix = prefix;
    this.violations = violations;
  }

  /** Records a violation of {@code key} (relative to this reader). */
  public void violation(String key, String message) {
    violations.add(new SettingViolation(path(key), message));
  }

  public boolean has(String key) {
    known.add(key);
    return values.get(key) != null;
  }

  /** The string at {@code key}; null, with a violation, when missing or not a string. */
  public @Nullable String requiredString(String key) {
    return string(key)
        .orElseGet(
            () -> {
              if (values.get(key) == null) {
                violation(key, "is required");
              }
              return null;
            });
  }

  public Optional<String> string(String key) {
    known.add(key);
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      violation(key, "must be a string");
      return Optional.empty();
    }
    if (s.isBlank()) {
      violation(key, "must not be blank");
      return Optional.empty();
    }
    return Optional.of(s);
  }

  /** Free text, empty allowed, at most {@code maxLength} characters; {@code absent} if missing. */
  public String text(String key, String absent, int maxLength) {
    known.add(key);
    Object v = values.get(key);
    if (v == null) {
      return absent;
    }
    if (!(v instanceof String s)) {
      violation(key, "must be a string");
      return absent;
    }
    if (s.length() > maxLength) {
      violation(key, "must not exceed " + maxLength + " characters");
      return absent;
    }
    return s;
  }

  public boolean bool(String key, boolean absent) {
    known.add(key);
    Object v = values.get(key);
    if (v == null) {
      return absent;
    }
    if (!(v instanceof Boolean b)) {
      violation(key, "must be true or false");
      return absent;
    }
    return b;
  }

  /** A number within [min, max], or {@code absent} when missing or invalid (with a violation). */
  public double number(String key, double absent, double min, double max) {
    Double d = optionalNumber(key, min, max);
    return d == null ? absent : d;
  }

  /** A number within [min, max]; null when missing or invalid (with a violation). */
  public @Nullable Double optionalNumber(String key, double min, double max) {
    known.add(key);
    Object v = values.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || Double.isNaN(n.doubleValue())) {
      violation(key, "must be a number");
      return null;
    }
    double d = n.doubleValue();
    if (d < min || d > max) {
      violation(key, "must be between " + plain(min) + " and " + plain(max) + ", was " + plain(d));
      return null;
    }
    return d;
  }

  /** A whole number within [min, max], or {@code absent} when missing or invalid. */
  public int integer(String key, int absent, long min, long max) {
    Integer i = optionalInteger(key, min, max);
    return i == null ? absent : i;
  }

  /** A whole number within [min, max]; null when missing or invalid (with a violation). */
  public @Nullable Integer optionalInteger(String key, long min, long max) {
    known.add(key);
    Object v = values.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      violation(key, "must be a whole number");
      return null;
    }
    long l = n.longValue();
    if (l < min || l > max) {
      violation(key, "must be between " + min + " and " + max + ", was " + l);
      return null;
    }
    return (int) l;
  }

  /** The raw elements of a list-valued setting; empty (with a violation) if not a list. */
  public List<Object> list(String key) {
    known.add(key);
    Object v = values.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      violation(key, "must be a list");
      return List.of();
    }
    return new ArrayList<>(list);
  }

  /** The elements of a list of objects, each as a reader whose paths read {@code key[i]}. */
  public List<SettingsReader> objects(String key) {
    List<SettingsReader> readers = new ArrayList<>();
    List<Object> elements = list(key);
    for (int i = 0; i < elements.size(); i++) {
      Object e = elements.get(i);
      String path = key + "[" + i + "]";
      if (e instanceof Map<?, ?> map) {
        @SuppressWarnings("unchecked")
        Map<String, ?> nested = (Map<String, ?>) map;
        readers.add(new SettingsReader(nested, path(path), violations));
      } else {
        violation(path, "must be an object");
      }
    }
    return readers;
  }

  /** The keys present at this level. */
  public Set<String> keys() {
    return values.keySet().stream()
        .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new));
  }

  /** The raw settings at this level. */
  public Map<String, ?> raw() {
    return values;
  }

  /** Marks {@code key} as known without reading it (its value is read elsewhere). */
  public void allow(String key) {
    known.add(key);
  }

  /** The path of {@code key} as violations name it. */
  public String pathOf(String key) {
    return path(key);
  }

  /** A positive duration such as {@code 30s}, {@code 5m} or {@code PT1M}, or {@code absent}. */
  public Duration duration(String key, Duration absent) {
    return duration(key, absent, false);
  }

  /** A duration, zero allowed when {@code zeroAllowed}, or {@code absent}. */
  public Duration duration(String key, Duration absent, boolean zeroAllowed) {
    Duration d = optionalDuration(key, zeroAllowed);
    return d == null ? absent : d;
  }

  /** A positive duration; null when missing or invalid (with a violation). */
  public @Nullable Duration optionalDuration(String key) {
    return optionalDuration(key, false);
  }

  /** A duration, zero allowed when {@code zeroAllowed}; null when missing or invalid. */
  public @Nullable Duration optionalDuration(String key, boolean zeroAllowed) {
    known.add(key);
    Object v = values.get(key);
    if (v == null) {
      return null;
    }
    Optional<Duration> parsed = v instanceof String s ? Durations.parse(s) : Optional.empty();
    if (parsed.isEmpty() || parsed.get().isNegative() || (parsed.get().isZero() && !zeroAllowed)) {
      violation(
          key,
          "must be a "
              + (zeroAllowed ? "" : "positive ")
              + "duration such as 30s, 5m or PT1M, was "
              + quoted(v));
      return null;
    }
    return parsed.get();
  }

  /** One of {@code choices} (keys compared in lower case), or {@code absent}. */
  public <E> E oneOf(String key, Map<String, E> choices, E absent) {
    known.add(key);
    Object v = values.get(key);
    if (v == null) {
      return absent;
    }
    E e = v instanceof String s ? choices.get(s.toLowerCase(Locale.ROOT)) : null;
    if (e == null) {
      violation(
          key, "must be one of " + String.join(", ", choices.keySet()) + ", was " + quoted(v));
      return absent;
    }
    return e;
  }

  /** An absolute http(s) URL without credentials in it; null (with a violation) if invalid. */
  public @Nullable URI httpUrl(String key, boolean required) {
    Optional<String> text = string(key);
    if (text.isEmpty()) {
      if (required && values.get(key) == null) {
        violation(key, "is required");
      }
      return null;
    }
    return HttpUrls.check(text.get(), message -> violation(key, message));
  }

  /** A map of string to string (header names to values, say). */
  public Map<String, String> stringMap(String key) {
    known.add(key);
    Object v = values.get(key);
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> map)) {
      violation(key, "must be an object of names to strings");
      return Map.of();
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (e.getValue() instanceof String s) {
        result.put(String.valueOf(e.getKey()), s);
      } else {
        violation(key + "." + e.getKey(), "must be a string");
      }
    }
    return result;
  }

  /**
   * A secret reference: {@code {"env": "NAME"}} or {@code {"file": "/path"}}. A literal string is
   * refused, so that credentials never sit in a plan.
   */
  public @Nullable SecretRef secret(String key, boolean required) {
    known.add(key);
    Object v = values.get(key);
    if (v == null) {
      if (required) {
        violation(key, "is required: {\"env\": \"VARIABLE\"} or {\"file\": \"/path\"}");
      }
      return null;
    }
    return secretFrom(key, v);
  }

  /**
   * The raw entries of an object-valued setting (for settings whose values may be of several
   * shapes, such as header values that are literals or secret references).
   */
  public Map<String, Object> entries(String key) {
    known.add(key);
    Object v = values.get(key);
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> map)) {
      violation(key, "must be an object");
      return Map.of();
    }
    Map<String, Object> result = new LinkedHashMap<>();
    map.forEach((k, value) -> result.put(String.valueOf(k), value));
    return result;
  }

  /** Reads {@code value}, found at {@code key}, as a secret reference. */
  public @Nullable SecretRef secretFrom(String key, Object v) {
    String shapes =
        "must reference a secret as {\"env\": \"VARIABLE\"}, {\"file\": \"/path\"} or"
            + " {\"plaintext\": \"...\"} (stored encrypted)";
    if (!(v instanceof Map<?, ?> map)) {
      violation(key, shapes + "; literal credentials are not stored");
      return null;
    }
    if (map.containsKey("plaintext")) {
      violation(
          key,
          "a plaintext secret is stored only encrypted, and no encryption key is configured"
              + " (aviary.security.encryption-key); reference an env variable or a file instead");
      return null;
    }
    Set<String> forms = Set.of("env", "file", "encrypted");
    Set<Object> unknown = new TreeSet<>(map.keySet().stream().map(String::valueOf).toList());
    unknown.removeAll(forms);
    if (!unknown.isEmpty()) {
      violation(key, "unknown fields " + unknown + "; " + shapes);
      return null;
    }
    if (map.size() != 1) {
      violation(key, "must name exactly one of env, file or encrypted");
      return null;
    }
    Object env = map.get("env");
    Object file = map.get("file");
    Object encrypted = map.get("encrypted");
    if (env != null) {
      if (!(env instanceof String s) || !s.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        violation(key + ".env", "must be an environment variable name");
        return null;
      }
      return SecretRef.env(s);
    }
    if (encrypted != null) {
      if (!(encrypted instanceof String s)
          || !s.matches(
              "v1:[0-9a-f]{8}:[A-Za-z0-9+/=]+|v2:[0-9a-f]{8}:[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+")) {
        violation(
            key + ".encrypted", "must be a value sealed by Aviary (v2:<key id>:<for>:<data>)");
        return null;
      }
      return SecretRef.encrypted(s);
    }
    if (!(file instanceof String f) || !f.startsWith("/")) {
      violation(key + ".file", "must be an absolute file path");
      return null;
    }
    return SecretRef.file(f);
  }

  /** Nested settings under {@code key}, if present and an object. */
  public Optional<SettingsReader> object(String key) {
    known.add(key);
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Map<?, ?> map)) {
      violation(key, "must be an object");
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> nested = (Map<String, ?>) map;
    return Optional.of(new SettingsReader(nested, path(key), violations));
  }

  /**
   * A reader of {@code replacement} in this reader's place: its violations are named by this
   * reader's path. For a document that stands for another, such as a metric expanded from a stored
   * template.
   */
  public SettingsReader standingFor(Map<String, ?> replacement) {
    return new SettingsReader(replacement, prefix, violations);
  }

  /** Reports every key no getter asked for. */
  public void rejectUnknown() {
    List<String> unknown = new ArrayList<>();
    for (String key : values.keySet()) {
      if (!known.contains(key)) {
        unknown.add(key);
      }
    }
    for (String key : unknown) {
      violation(key, "is not a known field here; known fields: " + String.join(", ", known));
    }
  }

  /**
   * A member set to {@code null} is read as absent, as JSON clients mean it: generated clients send
   * every optional field, unset ones as null.
   */
  private static Map<String, ?> withoutNulls(@Nullable Map<String, ?> values) {
    if (values == null) {
      return Map.of();
    }
    // Map.of maps refuse containsValue(null): look at each value instead
    if (values.values().stream().noneMatch(java.util.Objects::isNull)) {
      return values;
    }
    Map<String, Object> kept = new java.util.LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          if (v != null) {
            kept.put(k, v);
          }
        });
    return kept;
  }

  private String path(String key) {
    if (key.isEmpty()) {
      return prefix;
    }
    return prefix.isEmpty() ? key : prefix + "." + key;
  }

  private static String quoted(Object v) {
    return v instanceof String ? "'" + v + "'" : String.valueOf(v);
  }

  private static String plain(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }
}
