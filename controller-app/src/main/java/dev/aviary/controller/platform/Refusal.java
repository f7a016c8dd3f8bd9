package dev.aviary.controller.platform;

import java.util.Map;

/**
 * Base of every refusal a feature's service gives a caller on purpose: the request names something
 * that does not exist, breaks a rule, conflicts with the current state, is stale, or is not the
 * caller's to make. It says what kind of refusal it is, never how a protocol answers it; the web
 * layer turns each kind into an RFC 9457 problem with a stable type.
 */
public abstract class Refusal extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The kinds of refusal, each one problem type. */
  public enum Kind {
    NOT_FOUND("not-found", "Not found"),
    INVALID("invalid-request", "Invalid request"),
    CONFLICT("conflict", "Conflict"),
    STALE("stale-version", "Stale version"),
    FORBIDDEN("forbidden", "Forbidden"),
    /** The thing named existed but can serve no more (a used or expired one-time link). */
    GONE("gone", "Gone"),
    /** The credentials presented to sign in are not valid ones. */
    UNAUTHENTICATED("invalid-credentials", "Invalid credentials"),
    /** A backend the request needed (a metrics server) failed: not the client's mistake. */
    UPSTREAM("upstream-failure", "Upstream failure");

    private final String slug;
    private final String title;

    Kind(String slug, String title) {
      this.slug = slug;
      this.title = title;
    }

    /** The last part of the problem type URI. */
    public String slug() {
      return slug;
    }

    public String title() {
      return title;
    }
  }

  private final Kind kind;
  private final transient Map<String, Object> properties;

  protected Refusal(Kind kind, String detail, Map<String, Object> properties) {
    super(detail);
    this.kind = kind;
    this.properties = Map.copyOf(properties);
  }

  public Kind kind() {
    return kind;
  }

  /** Extension members of the problem document, e.g. the id of the conflicting rollout. */
  public Map<String, Object> properties() {
    return properties;
  }
}
