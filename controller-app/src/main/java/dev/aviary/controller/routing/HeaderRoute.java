package dev.aviary.controller.routing;

import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Requests that go to the new version whatever the weight: those with a header, or a cookie, whose
 * value is {@code exact} or matches {@code regex} as a whole.
 *
 * @param name the route's name in the plan; a later step of the same name replaces or removes it
 * @param on whether a header or a cookie is matched
 * @param key the header's name (matched without regard to case) or the cookie's name
 * @param exact the value to match exactly, or null when {@code regex} is given
 * @param regex a regular expression the whole value must match, or null when {@code exact} is given
 */
public record HeaderRoute(
    String name, On on, String key, @Nullable String exact, @Nullable String regex) {

  /** What a route matches on. */
  public enum On {
    HEADER,
    COOKIE
  }

  /** Header names as HTTP has them (a token), cookie names as RFC 6265 has them. */
  public static final Pattern KEY = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}");

  /** Values every router can carry into its configuration: printable ASCII, no quotes. */
  public static final Pattern VALUE = Pattern.compile("[\\x20-\\x7E&&[^\"\\\\]]{1,256}");

  /** Regular expressions: printable ASCII without quotes; backslashes are a regex's own. */
  public static final Pattern REGEX = Pattern.compile("[\\x20-\\x7E&&[^\"]]{1,256}");

  public HeaderRoute {
    Objects.requireNonNull(name);
    Objects.requireNonNull(on);
    Objects.requireNonNull(key);
    if ((exact == null) == (regex == null)) {
      throw new IllegalArgumentException("a route matches either an exact value or a regex");
    }
  }

  /** The route's capability: {@link RouterCapability#HEADER_ROUTING} or {@code COOKIE_ROUTING}. */
  public RouterCapability capability() {
    return on == On.HEADER ? RouterCapability.HEADER_ROUTING : RouterCapability.COOKIE_ROUTING;
  }

  /** A regular expression (Java, PCRE and RE2 read it alike) matching the whole value. */
  public String valueRegex() {
    return regex != null ? regex : quote(Objects.requireNonNull(exact));
  }

  /**
   * For a cookie route: a regular expression that a whole {@code Cookie} header matches when it
   * holds the cookie with a matching value (RE2 and PCRE read it alike).
   */
  public String cookieHeaderRegex() {
    return "(.*;[ ]*)?" + quote(key) + "=(?:" + valueRegex() + ")(;.*)?";
  }

  /**
   * {@code value} as a regular expression matching only itself, in the syntax all engines share.
   */
  public static String quote(String value) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '=' || c == ',') {
        sb.append(c);
      } else if (c == ' ') {
        sb.append("[ ]");
      } else {
        sb.append('\\').append(c);
      }
    }
    return sb.toString();
  }

  /** For people: {@code header X-Canary = "always"}, {@code cookie beta ~ "1|yes"}. */
  public String describe() {
    return (on == On.HEADER ? "header " : "cookie ")
        + key
        + (exact != null ? " = \"" + exact + "\"" : " ~ \"" + regex + "\"");
  }
}
