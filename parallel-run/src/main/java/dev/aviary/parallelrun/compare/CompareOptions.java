package dev.aviary.parallelrun.compare;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How two answers are compared. The status code is always compared; headers only when named in
 * {@code headers}; bodies as JSON when both are JSON, else as text.
 *
 * @param ignorePaths JSON fields never compared, and everything beneath them
 * @param unorderedArrays arrays compared as multisets: order does not matter
 * @param numericTolerance numbers closer than this are equal (0: exactly equal)
 * @param headers the response headers compared (case-insensitive); none by default
 * @param ignoreHeaders headers never compared, even when listed in {@code headers}
 * @param ignorePatterns text matching any of these is blanked in string values and text bodies
 *     before comparing (a date, a generated id inside a message)
 */
public record CompareOptions(
    List<PathPattern> ignorePaths,
    List<PathPattern> unorderedArrays,
    double numericTolerance,
    Set<String> headers,
    Set<String> ignoreHeaders,
    List<Pattern> ignorePatterns) {

  public static final CompareOptions DEFAULT =
      new CompareOptions(List.of(), List.of(), 0, Set.of(), Set.of(), List.of());

  public CompareOptions {
    if (!(numericTolerance >= 0)) {
      throw new IllegalArgumentException("numericTolerance must be 0 or more");
    }
    ignorePaths = List.copyOf(ignorePaths);
    unorderedArrays = List.copyOf(unorderedArrays);
    headers = lower(headers);
    ignoreHeaders = lower(ignoreHeaders);
    ignorePatterns = List.copyOf(ignorePatterns);
  }

  private static Set<String> lower(Set<String> names) {
    return names.stream()
        .map(n -> n.toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
  }

  boolean ignored(String path) {
    for (PathPattern p : ignorePaths) {
      if (p.covers(path)) {
        return true;
      }
    }
    return false;
  }

  boolean unordered(String path) {
    for (PathPattern p : unorderedArrays) {
      if (p.covers(path)) {
        return true;
      }
    }
    return false;
  }

  boolean comparesHeader(String name) {
    return headers.contains(name) && !ignoreHeaders.contains(name);
  }

  String clean(String text) {
    String t = text;
    for (Pattern p : ignorePatterns) {
      t = p.matcher(t).replaceAll("…");
    }
    return t;
  }
}
