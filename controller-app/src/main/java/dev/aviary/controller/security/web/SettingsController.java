package dev.aviary.controller.security.web;

import dev.aviary.controller.platform.secrets.SecretCipher;
import dev.aviary.controller.security.SecurityProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
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
  @Operation(summary = "Effective security settings, secrets shown only as set or not")
  Map<String, Object> settings() {
    Map<String, Object> oidc = new LinkedHashMap<>();
    oidc.put("enabled", security.oidc().enabled());
    oidc.put("issuerUri", security.oidc().issuerUri());
    oidc.put("jwkSetUri", security.oidc().jwkSetUri());
    oidc.put("audiences", security.oidc().audiences());
    oidc.put("roleClaim", security.oidc().roleClaim());
    oidc.put("subjectClaim", security.oidc().subjectClaim());
    oidc.put("roleMapping", security.oidc().roleMapping());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(
        "bootstrapTokenConfigured",
        security.bootstrapToken() != null && !security.bootstrapToken().isBlank());
    body.put("encryptionKeyConfigured", cipher.canSeal());
    body.put("metricsEndpoint", security.metricsPublic() ? "public" : "authenticated");
    body.put("tokenLifetime", security.tokenLifetime().toString());
    body.put("maxTokenLifetime", security.maxTokenLifetime().toString());
    body.put("corsAllowedOrigins", security.cors().allowedOrigins());
    body.put("mutationsPerMinute", security.rateLimit().mutationsPerMinute());
    body.put("oidc", oidc);
    return body;
  }
}
