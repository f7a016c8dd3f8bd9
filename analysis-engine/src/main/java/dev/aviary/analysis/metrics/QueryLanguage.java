package dev.aviary.analysis.metrics;

import dev.aviary.analysis.FatalAnalysisException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a template is written in, and so how a variable's value is made safe where it lands. Values
 * come from whoever starts a rollout (a pipeline token's {@code version}, {@code --var}s): they are
 * data, and must never change what a query or a URL means. Each placeholder is escaped for the
 * context it stands in — inside a PromQL string, inside a regular expression in one, in a URL's
 * path or query, inside a JSON string — and refused where no escaping makes it data (outside any
 * quotes, in a URL's host), unless it is a plain word such as {@code 30s} or {@code 1.4.2}.
 */
public enum QueryLanguage {

  /** PromQL (Prometheus, and the Prometheus-compatible query APIs). */
  PROMQL {
    @Override
    String escape(String template, int at, String name, String value) {
      Quote quote = quoteAt(template, at, "\"'`", true);
      if (quote == null) {
        return plainWord(name, value, "outside a quoted string of the query");
      }
      String text = quote.regex() ? regexQuote(value) : value;
      if (quote.mark() == '`') {
        if (text.indexOf('`') >= 0) {
          throw refused(name, "inside a `raw string` of the query, and holds a backtick");
        }
        return text;
      }
      return stringEscape(text, quote.mark());
    }
  },

  /** A URL: path segments and query parameters percent-encoded, the host never from a value. */
  URL {
    @Override
    String escape(String template, int at, String name, String value) {
      int scheme = template.indexOf("://");
      int pathStart = scheme < 0 ? 0 : indexOfAny(template, "/?#", scheme + 3);
      if (scheme >= 0 && (pathStart < 0 || at < pathStart)) {
        throw refused(name, "in the URL's scheme, host or port");
      }
      if (value.equals(".") || value.equals("..")) {
        throw refused(name, "in a URL, and is a relative path segment ('" + value + "')");
      }
      return percentEncode(value);
    }
  },

  /**
   * LogQL (Loki): PromQL's label matchers, plus line filters; a value inside {@code |~ "..."} is a
   * regular expression's operand as inside {@code =~}.
   */
  LOGQL {
    @Override
    String escape(String template, int at, String name, String value) {
      return PROMQL.escape(template, at, name, value);
    }
  },

  /**
   * NRQL (New Relic): values inside {@code '...'} strings escaped with backslashes; identifiers in
   * backticks may not take values; elsewhere only plain words.
   */
  NRQL {
    @Override
    String escape(String template, int at, String name, String value) {
      Quote quote = quoteAt(template, at, "'`", false);
      if (quote == null) {
        return plainWord(name, value, "outside a quoted string of the query");
      }
      if (quote.mark() == '`') {
        return plainWord(name, value, "inside a `quoted name`");
      }
      return stringEscape(value, '\'');
    }
  },

  /**
   * InfluxQL (InfluxDB 1.x): values inside {@code '...'} strings or {@code "..."} identifiers
   * escaped with backslashes; elsewhere (a time literal, a {@code /regex/}) only plain words.
   */
  INFLUXQL {
    @Override
    String escape(String template, int at, String name, String value) {
      Quote quote = quoteAt(template, at, "'\"", false);
      if (quote == null) {
        return plainWord(name, value, "outside a quoted string of the query");
      }
      return stringEscape(value, quote.mark());
    }
  },

  /**
   * Flux (InfluxDB 2.x): values inside {@code "..."} strings escaped, the dollar and brace that
   * would open an interpolation included; elsewhere only plain words.
   */
  FLUX {
    @Override
    String escape(String template, int at, String name, String value) {
      Quote quote = quoteAt(template, at, "\"", false);
      if (quote == null) {
        return plainWord(name, value, "outside a quoted string of the query");
      }
      return stringEscape(value, '"').replace("${", "\\${");
    }
  },

  /**
   * A Graphite target: outside quotes a value is part of a metric path, where a dot would add a
   * segment and {@code * ? [ ] { }} would match others, so only letters, digits and {@code _ : + -}
   * pass; inside a quoted argument (a {@code seriesByTag} expression) dots pass too.
   */
  GRAPHITE {
    @Override
    String escape(String template, int at, String name, String value) {
      Quote quote = quoteAt(template, at, "'\"", false);
      if (quote == null) {
        if (!PATH_SEGMENT.matcher(value).matches()) {
          throw refused(
              name,
              "in a Graphite metric path, where it may hold only letters, digits and _ : + -"
                  + " (a dot adds a path segment; give a variable without dots, or tag the"
                  + " series and select it with seriesByTag('version=${"
                  + name
                  + "}'))");
        }
        return value;
      }
      return plainWord(name, value, "inside a quoted Graphite argument");
    }
  },

  /**
   * A query language without string quoting where values are tags or words (Datadog's metric
   * queries): every value must be a plain word.
   */
  WORDS {
    @Override
    String escape(String template, int at, String name, String value) {
      return plainWord(name, value, "in the query");
    }
  },

  /**
   * A field of a structured request (a CloudWatch dimension's value), sent as data and never parsed
   * as a query: values stand as they are.
   */
  FIELD {
    @Override
    String escape(String template, int at, String name, String value) {
      return value;
    }
  },

  /** A JSON document: values inside strings JSON-escaped, elsewhere only plain words. */
  JSON {
    @Override
    String escape(String template, int at, String name, String value) {
      Quote quote = quoteAt(template, at, "\"", false);
      if (quote == null) {
        return plainWord(name, value, "outside a JSON string");
      }
      return stringEscape(value, '"');
    }
  };

  /** What a value may be where no escaping makes it data: a number, a duration, a version. */
  private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_.:+-]*");

  /** What a value may be inside a Graphite metric path. */
  private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9_:+-]*");

  /** The value of {@code ${name}}, made safe for the place it stands in {@code template}. */
  abstract String escape(String template, int at, String name, String value);

  /**
   * What to write between the double quotes of a PromQL regular-expression matcher ({@code
   * label=~"..."}) so that it matches exactly one of {@code literals}: each literal's RE2
   * metacharacters escaped, joined by {@code |}, then escaped for the string. For queries a
   * controller writes from names it was given (a router's servers), as values are escaped when a
   * template is rendered.
   */
  public static String promqlAnyOf(java.util.Collection<String> literals) {
    StringBuilder regex = new StringBuilder();
    for (String literal : literals) {
      if (regex.length() > 0) {
        regex.append('|');
      }
      regex.append(regexQuote(literal));
    }
    return stringEscape(regex.toString(), '"');
  }

  private static String plainWord(String name, String value, String where) {
    if (!PLAIN_WORD.matcher(value).matches()) {
      throw refused(name, where + ", where it may hold only letters, digits and _ . : + -");
    }
    return value;
  }

  private static FatalAnalysisException refused(String name, String where) {
    return new FatalAnalysisException(
        "the value of ${" + name + "} cannot be used: it stands " + where);
  }

  /** The quote a position is inside of, if any, and whether it is a regular-expression matcher. */
  private record Quote(char mark, boolean regex) {}

  private static @Nullable Quote quoteAt(String template, int at, String quotes, boolean promql) {
    char open = 0;
    int openedAt = -1;
    for (int i = 0; i < at; i++) {
      char c = template.charAt(i);
      if (open == 0) {
        if (quotes.indexOf(c) >= 0) {
          open = c;
          openedAt = i;
        } else if (promql && c == '#') {
          // a comment runs to the end of the line
          int eol = template.indexOf('\n', i);
          if (eol < 0 || eol >= at) {
            return new Quote('#', false);
          }
          i = eol;
        }
      } else if (c == '\\' && open != '`') {
        i++; // an escaped character, whatever it is
      } else if (c == open) {
        open = 0;
      }
    }
    if (open == 0) {
      return null;
    }
    return new Quote(open, promql && isRegexMatcher(template, openedAt));
  }

  /**
   * Whether the string opening at {@code quote} is the operand of {@code =~} or {@code !~} (or
   * LogQL's line filter {@code |~}).
   */
  private static boolean isRegexMatcher(String template, int quote) {
    int i = quote - 1;
    while (i >= 0 && Character.isWhitespace(template.charAt(i))) {
      i--;
    }
    return i >= 1 && template.charAt(i) == '~' && "=!|".indexOf(template.charAt(i - 1)) >= 0;
  }

  /** Every RE2 metacharacter escaped, so that the value matches itself only. */
  private static String regexQuote(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  private static String stringEscape(String value, char quote) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' || c == quote) {
        out.append('\\').append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** RFC 3986: everything but the unreserved characters percent-encoded, as UTF-8. */
  private static String percentEncode(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static int indexOfAny(String s, String chars, int from) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
