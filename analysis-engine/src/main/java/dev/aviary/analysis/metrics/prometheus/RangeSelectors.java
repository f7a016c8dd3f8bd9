package dev.aviary.analysis.metrics.prometheus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The range selectors of a PromQL template ({@code [1m]}, {@code [${window}]}, {@code [5m:30s]}).
 */
final class RangeSelectors {

  private static final Pattern SELECTOR = Pattern.compile("\\[\\s*([^\\]:\\s]+)\\s*(?::[^\\]]*)?]");
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");

  private RangeSelectors() {}

  /**
   * The selectors' ranges as written and as durations, reading {@code ${window}} and {@code
   * ${interval}} as {@code window}; selectors that cannot be read are left out.
   */
  static List<Range> of(String template, Duration window) {
    List<Range> ranges = new ArrayList<>();
    Matcher m = SELECTOR.matcher(template);
    while (m.find()) {
      String text = m.group(1);
      Optional<Duration> d =
          text.equals("${window}") || text.equals("${interval}")
              ? Optional.of(window)
              : parse(text);
      d.ifPresent(duration -> ranges.add(new Range(text, duration)));
    }
    return ranges;
  }

  record Range(String text, Duration duration) {}

  /** A PromQL duration such as {@code 90s}, {@code 1m}, {@code 1h30m}. */
  static Optional<Duration> parse(String text) {
    Matcher m = PART.matcher(text);
    int at = 0;
    long millis = 0;
    while (m.find() && m.start() == at) {
      long n = Long.parseLong(m.group(1));
      millis +=
          switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            case "d" -> n * 86_400_000;
            case "w" -> n * 7 * 86_400_000;
            default -> n * 365 * 86_400_000;
          };
      at = m.end();
    }
    return at == text.length() && at > 0
        ? Optional.of(Duration.ofMillis(millis))
        : Optional.empty();
  }
}
