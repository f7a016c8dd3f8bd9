package dev.aviary.controller.security.web;

import dev.aviary.controller.platform.secrets.SecretCipher;
import dev.aviary.controller.security.SecurityProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/settings}: the effective security settings (admin only). Says whether a secret is
 * set, never what it is.
 */
@RestController
@Tag(name = "Settings", description = "Effective settings; admin only")
class SettingsController {

  private final SecurityProperties security;
  private final SecretCipher cipher;

  SettingsController(SecurityProperties security, SecretCipher cipher) {
    this.security = security;
    this.cipher = cipher;
  }

  @GetMapping(path = "/api/v1/settings", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "getSettings",
      summary = "Effective security settings, secrets shown only as set or not")
  SettingsResponse settings() {
    SecurityProperties.Oidc oidc = security.oidc();
    return new SettingsResponse(
        security.bootstrapToken() != null && !security.bootstrapToken().isBlank(),
        cipher.canSeal(),
        security.metricsPublic() ? "public" : "authenticated",
        security.tokenLifetime().toString(),
        security.maxTokenLifetime().toString(),
        security.cors().allowedOrigins(),
        security.rateLimit().mutationsPerMinute(),
        new SettingsResponse.Oidc(
            oidc.enabled(),
            oidc.issuerUri(),
            oidc.jwkSetUri(),
            oidc.audiences(),
            oidc.roleClaim(),
            oidc.subjectClaim(),
            oidc.roleMapping()));
  }
}
