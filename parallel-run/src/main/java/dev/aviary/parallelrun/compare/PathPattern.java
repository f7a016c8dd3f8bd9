package dev.aviary.parallelrun.compare;

import java.util.regex.Pattern;

/**
 * A pattern over the field paths {@link Differ} reports: {@code $.price.amount}, {@code
 * $.items[*].id}; {@code *} stands for one field name, {@code ..} for any depth ({@code $..id} is
 * every {@code id}). A pattern also covers everything beneath what it matches.
 */
public final class PathPattern {

  private final String text;
  private final Pattern regex;

  private PathPattern(String text, Pattern regex) {
    this.text = text;
    this.regex = regex;
  }

  /**
   * Reads {@code text}.
   *
   * @throws IllegalArgumentException when it does not start with {@code $}
   */
  public static PathPattern of(String text) {
    if (!text.startsWith("$")) {
      throw new IllegalArgumentException(
          "a field path starts with $, like $.price.amount or $.items[*].id; was " + text);
    }
    StringBuilder r = new StringBuilder("\\$");
    int i = 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (text.startsWith("..", i)) {
        r.append("(?:\\.[^.\\[]+|\\[\\*\\]|\\['[^']*'\\])*");
        i += 1; // the second dot starts the next segment
      } else if (text.startsWith(".*", i)) {
        r.append("\\.[^.\\[]+");
        i += 2;
      } else if (text.startsWith("[*]", i)) {
        r.append("\\[\\*\\]");
        i += 3;
      } else {
        r.append(Pattern.quote(String.valueOf(c)));
        i++;
      }
    }
    r.append("(?:[.\\[:].*)?");
    return new PathPattern(text, Pattern.compile(r.toString()));
  }

  /** Whether {@code path} is what this pattern names, or lies beneath it. */
  public boolean covers(String path) {
    return regex.matcher(path).matches();
  }

  @Override
  public String toString() {
    return text;
  }
}
