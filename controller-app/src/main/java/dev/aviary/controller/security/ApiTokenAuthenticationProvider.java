package dev.aviary.controller.security;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Accepts Aviary's own API tokens. A bearer token without the {@code avy_} prefix is left to the
 * OIDC provider when one is configured, and refused otherwise.
 */
final class ApiTokenAuthenticationProvider implements AuthenticationProvider {

  private final ApiTokens tokens;
  private final boolean oidcEnabled;

  ApiTokenAuthenticationProvider(ApiTokens tokens, boolean oidcEnabled) {
    this.tokens = tokens;
    this.oidcEnabled = oidcEnabled;
  }

  @Override
  public @Nullable Authentication authenticate(Authentication authentication) {
    String token = ((BearerTokenAuthenticationToken) authentication).getToken();
    if (!token.startsWith(ApiTokens.PREFIX)) {
      if (oidcEnabled) {
        return null;
      }
      throw new InvalidBearerTokenException("not an Aviary API token");
    }
    return tokens
        .authenticate(token)
        .map(CallerAuthentication::new)
        .orElseThrow(() -> new InvalidBearerTokenException("unknown, expired or revoked token"));
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
