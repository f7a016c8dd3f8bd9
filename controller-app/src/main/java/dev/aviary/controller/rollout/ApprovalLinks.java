package dev.aviary.controller.rollout;

import dev.aviary.controller.platform.Actors;
import dev.aviary.controller.platform.ConflictException;
import dev.aviary.controller.platform.GoneException;
import dev.aviary.controller.platform.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One-time approval links: a notification that an approval step waits carries a link with a random
 * 256-bit token (only its SHA-256 is stored) that answers that step of that rollout, once, until
 * the step's deadline. Following it leads to a confirmation page in the dashboard; the person signs
 * in there, and the answer needs the step's rights as any other answer does. A link that was used,
 * has expired, or whose rollout no longer waits at its step answers nothing.
 */
@Service
public class ApprovalLinks {

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Where a link stands. */
  public enum State {
    /** It may answer its step now. */
    OPEN,
    /** Someone answered with it. */
    USED,
    /** Its step's deadline passed. */
    EXPIRED,
    /** Its rollout no longer waits at its step (answered otherwise, moved on, or ended). */
    STALE
  }

  /**
   * A link and what it would answer.
   *
   * @param rollout the rollout as it is now
   * @param step the step the link answers (zero-based)
   * @param state open, used, expired or stale
   * @param expiresAt when it stops working
   * @param usedAt when it was used
   * @param usedBy who used it
   * @param answer approved or rejected, once used
   */
  public record Link(
      RolloutView rollout,
      int step,
      State state,
      Instant expiresAt,
      @Nullable Instant usedAt,
      @Nullable String usedBy,
      @Nullable String answer) {}

  private record Row(
      UUID rollout,
      int step,
      Instant expiresAt,
      @Nullable Instant usedAt,
      @Nullable String usedBy,
      @Nullable String answer) {}

  private final JdbcClient jdbc;
  private final RolloutService rollouts;
  private final Actors actors;
  private final Clock clock;
  private final TransactionTemplate tx;

  ApprovalLinks(
      JdbcClient jdbc,
      RolloutService rollouts,
      Actors actors,
      Clock clock,
      PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.rollouts = rollouts;
    this.actors = actors;
    this.clock = clock;
    this.tx = new TransactionTemplate(transactions);
  }

  /**
   * A new link for step {@code step} of {@code rollout}, working until {@code expiresAt}; written
   * in the caller's transaction. Returns the token, which is stored nowhere but in the link.
   */
  public String create(UUID rollout, int step, Instant expiresAt) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    jdbc.sql(
            "INSERT INTO approval_link (token_hash, rollout_id, step_index, created_at, expires_at)"
                + " VALUES (:hash, :rollout, :step, :now, :expires)")
        .param("hash", hash(token))
        .param("rollout", rollout)
        .param("step", step)
        .param("now", Timestamp.from(clock.instant()))
        .param("expires", Timestamp.from(expiresAt))
        .update();
    return token;
  }

  /** The link and the rollout it answers for. */
  public Link view(String token) {
    Row row = row(token, false).orElseThrow(() -> unknown());
    RolloutView r = rollouts.get(row.rollout());
    return new Link(
        r, row.step(), state(row, r), row.expiresAt(), row.usedAt(), row.usedBy(), row.answer());
  }

  /**
   * Answers the link's step: approve or reject, as {@link RolloutService#answer} would, and marks
   * the link used, in one transaction — a refused answer leaves the link as it was.
   *
   * @throws GoneException when it was used or has expired
   * @throws ConflictException when its rollout no longer waits at its step
   */
  public RolloutView answer(String token, boolean approve, @Nullable String reason) {
    RolloutView answered =
        tx.execute(
            status -> {
              Row row = row(token, true).orElseThrow(() -> unknown());
              RolloutView r = rollouts.get(row.rollout());
              State state = state(row, r);
              switch (state) {
                case USED ->
                    throw new GoneException(
                        "this link was used by "
                            + row.usedBy()
                            + " at "
                            + row.usedAt()
                            + " ("
                            + row.answer()
                            + "); a link answers once");
                case EXPIRED ->
                    throw new GoneException(
                        "this link expired at "
                            + row.expiresAt()
                            + " with the approval step's deadline");
                case STALE ->
                    throw new ConflictException(
                        "rollout "
                            + row.rollout()
                            + " no longer waits for the approval of step "
                            + (row.step() + 1)
                            + " (it is "
                            + r.phase()
                            + " at step "
                            + (r.step().index() + 1)
                            + ")",
                        Map.of("phase", r.phase().name()));
                case OPEN -> {}
              }
              RolloutView after = rollouts.answer(row.rollout(), approve, reason);
              jdbc.sql(
                      "UPDATE approval_link SET used_at = :now, used_by = :actor, answer = :answer"
                          + " WHERE token_hash = :hash")
                  .param("now", Timestamp.from(clock.instant()))
                  .param("actor", actors.current())
                  .param("answer", approve ? "approved" : "rejected")
                  .param("hash", hash(token))
                  .update();
              return after;
            });
    return java.util.Objects.requireNonNull(answered);
  }

  private State state(Row row, RolloutView r) {
    if (row.usedAt() != null) {
      return State.USED;
    }
    if (!clock.instant().isBefore(row.expiresAt())) {
      return State.EXPIRED;
    }
    if (r.approval() == null || r.step().index() != row.step()) {
      return State.STALE;
    }
    return State.OPEN;
  }

  private Optional<Row> row(String token, boolean lock) {
    if (!TOKEN.matcher(token).matches()) {
      return Optional.empty();
    }
    return jdbc.sql(
            "SELECT rollout_id, step_index, expires_at, used_at, used_by, answer FROM approval_link"
                + " WHERE token_hash = :hash"
                + (lock ? " FOR UPDATE" : ""))
        .param("hash", hash(token))
        .query(
            (rs, n) ->
                new Row(
                    rs.getObject("rollout_id", UUID.class),
                    rs.getInt("step_index"),
                    rs.getTimestamp("expires_at").toInstant(),
                    rs.getTimestamp("used_at") == null
                        ? null
                        : rs.getTimestamp("used_at").toInstant(),
                    rs.getString("used_by"),
                    rs.getString("answer")))
        .optional();
  }

  private static NotFoundException unknown() {
    return new NotFoundException("no such approval link: it was mistyped, or its rollout is gone");
  }

  private static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
