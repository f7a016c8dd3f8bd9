package dev.aviary.kernel;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Checks that text is an absolute http(s) URL with a host and no credentials in it. */
public final class HttpUrls {

  private HttpUrls() {}

  /** The URL, or null after telling {@code problem} what is wrong with it. */
  public static @Nullable URI check(String text, Consumer<String> problem) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      problem.accept("is not a valid URL: " + e.getReason());
      return null;
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
      problem.accept("must be an http:// or https:// URL");
      return null;
    }
    if (uri.getHost() == null) {
      problem.accept("must name a host");
      return null;
    }
    if (uri.getRawUserInfo() != null) {
      problem.accept("must not carry credentials; use auth with a secret reference");
      return null;
    }
    return uri;
  }
}
