package dev.aviary.controller.platform.web;

import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * Base of every error the API answers on purpose. Each maps to one RFC 9457 problem type with a
 * stable URI, {@code https://aviary.dev/problems/<slug>}, documented in docs/api.md.
 */
abstract class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  static final String TYPE_BASE = "https://aviary.dev/problems/";

  private final HttpStatus status;
  private final String slug;
  private final String title;
  private final transient Map<String, Object> properties;

  protected ApiException(
      HttpStatus status, String slug, String title, String detail, Map<String, Object> properties) {
    super(detail);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.properties = Map.copyOf(properties);
  }

  public HttpStatus status() {
    return status;
  }

  public URI type() {
    return URI.create(TYPE_BASE + slug);
  }

  public String title() {
    return title;
  }

  /** Extension members of the problem document. */
  public Map<String, Object> properties() {
    return properties;
  }
}
