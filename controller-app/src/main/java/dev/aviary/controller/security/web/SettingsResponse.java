package dev.aviary.controller.security.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The effective security settings: whether a secret is set, never what it is.
 *
 * @param bootstrapTokenConfigured whether AVIARY_BOOTSTRAP_TOKEN is set
 * @param encryptionKeyConfigured whether {"plaintext"} secrets can be sealed
 * @param metricsEndpoint whether /actuator/prometheus is public or needs a token
 * @param tokenLifetime the default lifetime of issued tokens (ISO-8601)
 * @param maxTokenLifetime the longest allowed (ISO-8601)
 * @param corsAllowedOrigins browser origins allowed to call the API
 * @param mutationsPerMinute per-caller limit of POST, PUT and DELETE requests
 * @param oidc how OIDC JWTs are accepted
 */
record SettingsResponse(
    boolean bootstrapTokenConfigured,
    boolean encryptionKeyConfigured,
    @Schema(allowableValues = {"public", "authenticated"}) String metricsEndpoint,
    String tokenLifetime,
    String maxTokenLifetime,
    List<String> corsAllowedOrigins,
    int mutationsPerMinute,
    Oidc oidc) {

  /**
   * OIDC settings.
   *
   * @param enabled whether JWTs are accepted
   * @param issuerUri the issuer, for discovery
   * @param jwkSetUri the key set, when given directly
   * @param audiences accepted audiences
   * @param roleClaim the (dotted) claim holding roles
   * @param subjectClaim the claim naming the actor
   * @param roleMapping claim values to Aviary roles
   */
  @Schema(name = "OidcSettings")
  record Oidc(
      boolean enabled,
      @Nullable String issuerUri,
      @Nullable String jwkSetUri,
      List<String> audiences,
      String roleClaim,
      String subjectClaim,
      Map<String, String> roleMapping) {}
}
