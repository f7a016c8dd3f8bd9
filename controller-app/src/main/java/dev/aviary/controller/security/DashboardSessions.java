package dev.aviary.controller.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Browser sessions of the dashboard. A person signs in once with an API token (or through OIDC);
 * the browser then holds a random session id in an HttpOnly cookie, never the token, and every
 * change it makes carries the session's CSRF token in a header. Sessions are rows in PostgreSQL, so
 * every replica honours them and a restart keeps people signed in; a session opened with a token
 * ends when the token is revoked or expires.
 */
@Service
public class DashboardSessions {

  /** The cookie that carries the session id. */
  public static final String COOKIE = "aviary_session";

  /** The header a signed-in browser's changes must carry. */
  public static final String CSRF_HEADER = "X-CSRF-Token";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final TypeReference<List<String>> LIST = new TypeReference<>() {};
  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;
  private final AuditLog audit;
  private final SecurityProperties properties;
  private final ApiTokens tokens;

  DashboardSessions(
      JdbcClient jdbc,
      JsonMapper json,
      Clock clock,
      AuditLog audit,
      SecurityProperties properties,
      ApiTokens tokens) {
    this.tokens = tokens;
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
    this.audit = audit;
    this.properties = properties;
  }

  /**
   * A live session.
   *
   * @param id the cookie's value (only in the answer to a sign-in)
   * @param caller who it acts as
   * @param csrf what its changes must carry in {@link #CSRF_HEADER}
   * @param expiresAt when it ends
   */
  public record Session(String id, Caller caller, String csrf, Instant expiresAt) {}

  /** Opens a session for the holder of a live API token; empty if the token is not one. */
  @Transactional
  public Optional<Session> openWithToken(String token) {
    Instant now = clock.instant();
    Optional<ApiTokens.Holder> holder = tokens.holder(token);
    if (holder.isEmpty()) {
      return Optional.empty();
    }
    Caller caller = holder.get().caller();
    Instant expires = now.plus(properties.dashboard().sessionLifetime());
    Instant tokenExpires = caller.expiresAt();
    if (tokenExpires != null && tokenExpires.isBefore(expires)) {
      expires = tokenExpires;
    }
    Session s = insert(holder.get().tokenId(), null, caller, expires, now);
    audit.record(caller.actor(), "session.opened", "dashboard", Map.of("expiresAt", expires));
    return Optional.of(s);
  }

  /** Opens a session for a caller an identity provider vouched for, until {@code expiresAt}. */
  @Transactional
  public Session openFor(Caller caller, Instant expiresAt) {
    Instant now = clock.instant();
    Instant limit = now.plus(properties.dashboard().sessionLifetime());
    Instant expires = expiresAt.isBefore(limit) ? expiresAt : limit;
    Session s =
        insert(null, json.writeValueAsString(CallerDocument.of(caller)), caller, expires, now);
    audit.record(caller.actor(), "session.opened", "dashboard", Map.of("expiresAt", expires));
    return s;
  }

  private Session insert(
      @Nullable UUID tokenId,
      @Nullable String callerJson,
      Caller caller,
      Instant expires,
      Instant now) {
    jdbc.sql("DELETE FROM dashboard_session WHERE expires_at <= :now")
        .param("now", Timestamp.from(now))
        .update();
    String id = random();
    String csrf = random();
    jdbc.sql(
            "INSERT INTO dashboard_session"
                + " (id_hash, token_id, actor, caller, csrf, created_at, expires_at)"
                + " VALUES (:hash, :token, :actor, CAST(:caller AS jsonb), :csrf, :now, :expires)")
        .param("hash", ApiTokens.hash(id))
        .param("token", tokenId)
        .param("actor", caller.actor())
        .param("caller", callerJson)
        .param("csrf", csrf)
        .param("now", Timestamp.from(now))
        .param("expires", Timestamp.from(expires))
        .update();
    return new Session(id, caller, csrf, expires);
  }

  /** The live session a cookie names, if any (its token still live, for a token's session). */
  public Optional<Session> find(String id) {
    Instant now = clock.instant();
    return jdbc.sql(
            "SELECT s.token_id, s.actor, s.caller, s.csrf, s.expires_at,"
                + " t.name, t.role, t.plans, t.plan_selector, t.expires_at AS token_expires_at"
                + " FROM dashboard_session s LEFT JOIN api_token t ON t.id = s.token_id"
                + " AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > :now)"
                + " WHERE s.id_hash = :hash AND s.expires_at > :now")
        .param("hash", ApiTokens.hash(id))
        .param("now", Timestamp.from(now))
        .query((rs, n) -> session(id, rs))
        .optional()
        .flatMap(s -> s);
  }

  /** Ends the session a cookie names. */
  public void close(String id) {
    jdbc.sql("DELETE FROM dashboard_session WHERE id_hash = :hash RETURNING actor")
        .param("hash", ApiTokens.hash(id))
        .query(String.class)
        .optional()
        .ifPresent(actor -> audit.record(actor, "session.closed", "dashboard", Map.of()));
  }

  /** The session a request was authenticated by, if it came from a signed-in browser. */
  public static Optional<Session> current(jakarta.servlet.http.HttpServletRequest request) {
    return Optional.ofNullable((Session) request.getAttribute(DashboardSessionFilter.SESSION));
  }

  /** The session cookie a request presents, if any. */
  public static Optional<String> cookie(jakarta.servlet.http.HttpServletRequest request) {
    return Optional.ofNullable(DashboardSessionFilter.cookie(request));
  }

  /** Whether a presented CSRF token is the session's (compared in constant time). */
  public static boolean csrfMatches(Session s, @Nullable String presented) {
    return presented != null
        && MessageDigest.isEqual(
            s.csrf().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }

  private Optional<Session> session(String id, ResultSet rs) throws SQLException {
    String csrf = rs.getString("csrf");
    Instant expires = rs.getTimestamp("expires_at").toInstant();
    if (rs.getObject("token_id") != null) {
      String role = rs.getString("role");
      if (role == null) {
        return Optional.empty(); // the token was revoked or has expired
      }
      Timestamp tokenExpires = rs.getTimestamp("token_expires_at");
      Caller caller =
          new Caller(
              "token:" + rs.getString("name"),
              Set.of(Role.parse(role).orElseThrow()),
              json.readValue(rs.getString("plans"), LIST),
              json.readValue(rs.getString("plan_selector"), LABELS),
              tokenExpires == null ? null : tokenExpires.toInstant());
      return Optional.of(new Session(id, caller, csrf, expires));
    }
    CallerDocument d = json.readValue(rs.getString("caller"), CallerDocument.class);
    return Optional.of(new Session(id, d.caller(expires), csrf, expires));
  }

  /** A caller as an OIDC session keeps it. */
  record CallerDocument(
      String actor, List<String> roles, List<String> plans, Map<String, String> planSelector) {
    static CallerDocument of(Caller c) {
      return new CallerDocument(
          c.actor(),
          c.roles().stream().map(Role::wireName).sorted().toList(),
          c.plans(),
          c.planSelector());
    }

    Caller caller(Instant expires) {
      return new Caller(
          actor,
          roles.stream()
              .map(r -> Role.parse(r).orElseThrow())
              .collect(java.util.stream.Collectors.toSet()),
          plans,
          planSelector,
          expires);
    }
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
