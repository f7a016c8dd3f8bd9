package dev.aviary.controller.security;

import dev.aviary.controller.platform.ConflictException;
import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.controller.platform.NotFoundException;
import dev.aviary.kernel.Durations;
import dev.aviary.kernel.SettingViolation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * API tokens issued by Aviary: {@code avy_} and 256 random bits, shown once when issued; only their
 * SHA-256 is stored. Every issue and revocation is audited in the same transaction.
 */
@Service
public class ApiTokens {

  static final String PREFIX = "avy_";
  private static final String NAME = "[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?";
  private static final TypeReference<List<String>> LIST = new TypeReference<>() {};
  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};
  private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

  private final java.util.concurrent.ConcurrentHashMap<UUID, Instant> lastUsedWritten =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final SecureRandom RANDOM = new SecureRandom();
  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;
  private final AuditLog audit;
  private final SecurityProperties properties;

  ApiTokens(
      JdbcClient jdbc,
      JsonMapper json,
      Clock clock,
      AuditLog audit,
      SecurityProperties properties) {
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
    this.audit = audit;
    this.properties = properties;
  }

  /** A token as the API shows it: never the token or its hash. */
  public record TokenView(
      String name,
      Role role,
      String description,
      List<String> plans,
      Map<String, String> planSelector,
      @Nullable String hint,
      Instant createdAt,
      @Nullable String createdBy,
      @Nullable Instant expiresAt,
      @Nullable Instant revokedAt,
      @Nullable String revokedBy,
      @Nullable Instant lastUsedAt) {}

  /** A newly issued token: the secret itself, shown this once. */
  public record Issued(TokenView view, String token) {}

  /** Issues a token from an API request body. */
  @Transactional
  public Issued issue(Map<String, Object> body, String actor) {
    List<SettingViolation> violations = new ArrayList<>();
    Set<String> known = Set.of("name", "role", "description", "expiresIn", "plans", "planSelector");
    body.keySet().stream()
        .filter(k -> !known.contains(k))
        .sorted()
        .forEach(k -> violations.add(new SettingViolation(k, "is not a token field")));
    String name = body.get("name") instanceof String s ? s : null;
    if (name == null || !name.matches(NAME)) {
      violations.add(
          new SettingViolation(
              "name", "is required: lower-case letters, digits, '-' and '.', at most 63"));
    }
    Role role = body.get("role") instanceof String s ? Role.parse(s).orElse(null) : null;
    if (role == null) {
      violations.add(
          new SettingViolation("role", "must be one of viewer, operator, pipeline, admin"));
    }
    Object desc = body.getOrDefault("description", "");
    String description = desc instanceof String s && s.length() <= 500 ? s : null;
    if (description == null) {
      violations.add(new SettingViolation("description", "must be text of at most 500 characters"));
    }
    Duration lifetime = properties.tokenLifetime();
    if (body.containsKey("expiresIn")) {
      lifetime = body.get("expiresIn") instanceof String s ? Durations.parse(s).orElse(null) : null;
      if (lifetime == null
          || lifetime.isNegative()
          || lifetime.isZero()
          || lifetime.compareTo(properties.maxTokenLifetime()) > 0) {
        violations.add(
            new SettingViolation(
                "expiresIn",
                "must be a duration such as 30d, at most "
                    + properties.maxTokenLifetime().toDays()
                    + "d"));
      }
    }
    List<String> plans = stringList(body.get("plans"), "plans", violations);
    Map<String, String> selector = labels(body.get("planSelector"), violations);
    if (role != null && role != Role.PIPELINE && (!plans.isEmpty() || !selector.isEmpty())) {
      violations.add(
          new SettingViolation(
              body.containsKey("plans") ? "plans" : "planSelector",
              "only a pipeline token is limited to plans"));
    }
    if (!violations.isEmpty() || name == null || role == null || description == null) {
      throw new InvalidRequestException(violations);
    }
    String token = generate();
    Instant now = clock.instant();
    Instant expires = now.plus(lifetime);
    try {
      insert(name, role, description, plans, selector, token, now, actor, expires);
    } catch (DuplicateKeyException e) {
      throw new ConflictException(
          "an active token named '" + name + "' exists; revoke it first or choose another name");
    }
    audit.record(
        actor,
        "token.created",
        "token:" + name,
        Map.of("role", role.wireName(), "expiresAt", expires.toString()));
    return new Issued(find(name).orElseThrow(), token);
  }

  /**
   * Ensures the active token named {@code name} is {@code token} with role admin: nothing when it
   * already is; otherwise an older token of that name is revoked and this one stored.
   *
   * @return whether anything changed
   */
  @Transactional
  public boolean ensureBootstrap(String name, String token, String actor) {
    Optional<String> current =
        jdbc.sql("SELECT token_hash FROM api_token WHERE name = :name AND revoked_at IS NULL")
            .param("name", name)
            .query(String.class)
            .optional();
    if (current.isPresent() && current.get().equals(hash(token))) {
      return false;
    }
    if (current.isPresent()) {
      revoke(name, actor);
    }
    insert(
        name,
        Role.ADMIN,
        "bootstrap admin token",
        List.of(),
        Map.of(),
        token,
        clock.instant(),
        actor,
        null);
    audit.record(actor, "token.bootstrapped", "token:" + name, Map.of("role", "admin"));
    return true;
  }

  /** Whether any token was ever issued (revoked ones count). */
  public boolean anyExist() {
    return jdbc.sql("SELECT EXISTS (SELECT 1 FROM api_token)").query(Boolean.class).single();
  }

  /** Revokes the active token named {@code name}. */
  @Transactional
  public TokenView revoke(String name, String actor) {
    TokenView revoked =
        jdbc.sql(
                "UPDATE api_token SET revoked_at = :now, revoked_by = :actor"
                    + " WHERE name = :name AND revoked_at IS NULL RETURNING *")
            .param("now", Timestamp.from(clock.instant()))
            .param("actor", actor)
            .param("name", name)
            .query(this::view)
            .optional()
            .orElseThrow(() -> new NotFoundException("no active token named '" + name + "'"));
    audit.record(actor, "token.revoked", "token:" + name, Map.of());
    return revoked;
  }

  /** The active token named {@code name}. */
  public Optional<TokenView> find(String name) {
    return jdbc.sql("SELECT * FROM api_token WHERE name = :name AND revoked_at IS NULL")
        .param("name", name)
        .query(this::view)
        .optional();
  }

  /** Every token, active first, newest first; revoked ones only when asked. */
  public List<TokenView> list(boolean includeRevoked) {
    return jdbc.sql(
            "SELECT * FROM api_token WHERE (:all OR revoked_at IS NULL)"
                + " ORDER BY revoked_at IS NOT NULL, created_at DESC")
        .param("all", includeRevoked)
        .query(this::view)
        .list();
  }

  /**
   * A live token's row id and the caller it stands for.
   *
   * @param tokenId the token's id
   * @param caller who presents it
   */
  public record Holder(UUID tokenId, Caller caller) {}

  /** The caller a presented token stands for, if it is a live Aviary token; notes the use. */
  public Optional<Caller> authenticate(String token) {
    Instant now = clock.instant();
    Optional<Holder> holder = holder(token);
    holder
        .filter(h -> lastUsedStale(h.tokenId(), now))
        .ifPresent(
            h ->
                jdbc.sql(
                        "UPDATE api_token SET last_used_at = :now WHERE id = :id"
                            + " AND (last_used_at IS NULL OR last_used_at < :stale)")
                    .param("now", Timestamp.from(now))
                    .param("stale", Timestamp.from(now.minus(LAST_USED_RESOLUTION)))
                    .param("id", h.tokenId())
                    .update());
    return holder.map(Holder::caller);
  }

  /** The live token a presented one is, and its caller: no use noted. */
  public Optional<Holder> holder(String token) {
    if (!token.startsWith(PREFIX)) {
      return Optional.empty();
    }
    return jdbc.sql(
            "SELECT id, name, role, plans, plan_selector, expires_at FROM api_token"
                + " WHERE token_hash = :hash AND revoked_at IS NULL"
                + " AND (expires_at IS NULL OR expires_at > :now)")
        .param("hash", hash(token))
        .param("now", Timestamp.from(clock.instant()))
        .query(
            (rs, n) ->
                new Holder(
                    rs.getObject("id", UUID.class),
                    new Caller(
                        "token:" + rs.getString("name"),
                        Set.of(Role.parse(rs.getString("role")).orElseThrow()),
                        json.readValue(rs.getString("plans"), LIST),
                        json.readValue(rs.getString("plan_selector"), LABELS),
                        instant(rs, "expires_at"))))
        .optional();
  }

  /**
   * Whether this instance last recorded a use of token {@code id} longer than the resolution ago,
   * and if so notes {@code now}: a busy client costs one UPDATE a minute, not one per request.
   */
  private boolean lastUsedStale(UUID id, Instant now) {
    Instant[] stale = {null};
    lastUsedWritten.compute(
        id,
        (k, before) -> {
          if (before != null && before.isAfter(now.minus(LAST_USED_RESOLUTION))) {
            return before;
          }
          stale[0] = now;
          return now;
        });
    if (lastUsedWritten.size() > 10_000) {
      lastUsedWritten.clear(); // bounded: forgetting only costs an UPDATE
    }
    return stale[0] != null;
  }

  private void insert(
      String name,
      Role role,
      String description,
      List<String> plans,
      Map<String, String> selector,
      String token,
      Instant now,
      String actor,
      @Nullable Instant expires) {
    jdbc.sql(
            "INSERT INTO api_token (id, name, role, token_hash, token_hint, description, plans,"
                + " plan_selector, created_at, created_by, expires_at) VALUES (:id, :name, :role,"
                + " :hash, :hint, :description, CAST(:plans AS jsonb), CAST(:selector AS jsonb),"
                + " :now, :actor, :expires)")
        .param("id", UUID.randomUUID())
        .param("name", name)
        .param("role", role.wireName())
        .param("hash", hash(token))
        .param("hint", PREFIX + "..." + token.substring(token.length() - 4))
        .param("description", description)
        .param("plans", json.writeValueAsString(plans))
        .param("selector", json.writeValueAsString(selector))
        .param("now", Timestamp.from(now))
        .param("actor", actor)
        .param("expires", expires == null ? null : Timestamp.from(expires))
        .update();
  }

  private TokenView view(ResultSet rs, int n) throws SQLException {
    return new TokenView(
        rs.getString("name"),
        Role.parse(rs.getString("role")).orElseThrow(),
        rs.getString("description"),
        json.readValue(rs.getString("plans"), LIST),
        json.readValue(rs.getString("plan_selector"), LABELS),
        rs.getString("token_hint"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getString("created_by"),
        instant(rs, "expires_at"),
        instant(rs, "revoked_at"),
        rs.getString("revoked_by"),
        instant(rs, "last_used_at"));
  }

  private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  /** A new token: the prefix and 256 random bits. */
  static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** SHA-256 in hex: tokens carry 256 random bits, so a fast hash is as strong as a slow one. */
  static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> stringList(
      @Nullable Object value, String field, List<SettingViolation> violations) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)
        || !list.stream().allMatch(v -> v instanceof String s && !s.isBlank())) {
      violations.add(new SettingViolation(field, "must be a list of plan names"));
      return List.of();
    }
    return list.stream().map(String.class::cast).toList();
  }

  private static Map<String, String> labels(
      @Nullable Object value, List<SettingViolation> violations) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> map)
        || !map.values().stream().allMatch(v -> v instanceof String)) {
      violations.add(
          new SettingViolation("planSelector", "must be an object of label names to values"));
      return Map.of();
    }
    Map<String, String> result = new LinkedHashMap<>();
    map.forEach((k, v) -> result.put(String.valueOf(k), (String) v));
    return result;
  }
}
