package dev.aviary.controller.security.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.aviary.controller.security.ApiTokens;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An API token as the API shows it: never its value, except in the answer that issued it.
 *
 * @param name its name
 * @param role viewer, operator, pipeline or admin
 * @param description what it is for
 * @param plans pipeline tokens: the plans it is limited to
 * @param planSelector pipeline tokens: the labels its plans must carry
 * @param hint the token's last characters, to tell tokens apart
 * @param createdAt when it was issued
 * @param createdBy who issued it
 * @param expiresAt when it stops working; null for the bootstrap token
 * @param revokedAt when it was revoked
 * @param revokedBy who revoked it
 * @param lastUsedAt when it was last presented
 * @param state active or revoked
 * @param token the token itself: only in the answer that issued it, never again
 */
record TokenResponse(
    String name,
    @Schema(allowableValues = {"viewer", "operator", "pipeline", "admin"}) String role,
    @Nullable String description,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable List<String> plans,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable Map<String, String> planSelector,
    @Nullable String hint,
    Instant createdAt,
    @Nullable String createdBy,
    @Nullable Instant expiresAt,
    @Nullable Instant revokedAt,
    @Nullable String revokedBy,
    @Nullable Instant lastUsedAt,
    @Schema(allowableValues = {"active", "revoked"}) String state,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String token) {

  static TokenResponse of(ApiTokens.TokenView v) {
    return withSecret(v, null);
  }

  static TokenResponse withSecret(ApiTokens.TokenView v, @Nullable String token) {
    return new TokenResponse(
        v.name(),
        v.role().wireName(),
        v.description(),
        v.plans(),
        v.planSelector(),
        v.hint(),
        v.createdAt(),
        v.createdBy(),
        v.expiresAt(),
        v.revokedAt(),
        v.revokedBy(),
        v.lastUsedAt(),
        v.revokedAt() != null ? "revoked" : "active",
        token);
  }
}
