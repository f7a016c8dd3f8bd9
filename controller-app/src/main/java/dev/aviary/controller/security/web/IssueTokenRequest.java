package dev.aviary.controller.security.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/v1/tokens}: the shape of a token request, as {@code ApiTokens.issue} reads it.
 *
 * @param name lower-case letters, digits, '-' and '.'; one active token per name
 * @param role viewer, operator, pipeline or admin
 * @param description what the token is for
 * @param expiresIn lifetime, e.g. 30d (default 90d, at most the configured maximum)
 * @param plans pipeline tokens only: the plans it may start and read
 * @param planSelector pipeline tokens only: plans whose labels contain these
 */
@Schema(
    example =
        "{\"name\": \"ci-checkout\", \"role\": \"pipeline\", \"description\": \"GitHub Actions of"
            + " checkout\", \"expiresIn\": \"30d\", \"plans\": [\"checkout\"]}")
record IssueTokenRequest(
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @Nullable String name,
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            allowableValues = {"viewer", "operator", "pipeline", "admin"})
        @Nullable String role,
    @Nullable String description,
    @Schema(example = "30d") @Nullable String expiresIn,
    @Nullable List<String> plans,
    @Nullable Map<String, String> planSelector) {}
