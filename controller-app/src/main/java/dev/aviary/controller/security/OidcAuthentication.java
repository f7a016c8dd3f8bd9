package dev.aviary.controller.security;

import dev.aviary.controller.platform.RemoteCalls;
import dev.aviary.kernel.Retryability;
import java.io.IOException;
import java.io.Serial;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.web.client.RestTemplate;

/**
 * JWTs from an external OAuth2/OIDC issuer. The issuer's keys are fetched lazily (the controller
 * starts while the issuer is down) through {@link RemoteCalls}: with a timeout, retries with
 * backoff and a circuit breaker named {@code oidc}. The subject becomes the actor {@code
 * oidc:<subject>}; the role claim's values become roles.
 */
final class OidcAuthentication {

  private OidcAuthentication() {}

  static JwtAuthenticationProvider provider(SecurityProperties.Oidc oidc, RemoteCalls remote) {
    JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder(oidc, remote));
    provider.setJwtAuthenticationConverter(converter(oidc));
    return provider;
  }

  static JwtDecoder decoder(SecurityProperties.Oidc oidc, RemoteCalls remote) {
    RestTemplate rest = rest(oidc, remote);
    boolean hasIssuer = oidc.issuerUri() != null && !oidc.issuerUri().isBlank();
    return new SupplierJwtDecoder(
        () -> {
          NimbusJwtDecoder decoder =
              oidc.jwkSetUri() != null && !oidc.jwkSetUri().isBlank()
                  ? NimbusJwtDecoder.withJwkSetUri(oidc.jwkSetUri()).restOperations(rest).build()
                  : NimbusJwtDecoder.withIssuerLocation(oidc.issuerUri())
                      .restOperations(rest)
                      .build();
          List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
          validators.add(
              hasIssuer
                  ? JwtValidators.createDefaultWithIssuer(oidc.issuerUri())
                  : JwtValidators.createDefault());
          if (!oidc.audiences().isEmpty()) {
            validators.add(audience(oidc.audiences()));
          }
          decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
          return decoder;
        });
  }

  /**
   * Calls to the issuer: its timeouts, through the {@code oidc} retry and circuit breaker, a 5xx or
   * an unreachable issuer counted as a failure.
   */
  static RestTemplate rest(SecurityProperties.Oidc oidc, RemoteCalls remote) {
    SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
    factory.setConnectTimeout(oidc.timeout());
    factory.setReadTimeout(oidc.timeout());
    RestTemplate rest = new RestTemplate(factory);
    rest.getInterceptors()
        .add(
            (request, body, execution) ->
                remote.call(
                    "oidc",
                    () -> {
                      try {
                        ClientHttpResponse response = execution.execute(request, body);
                        if (response.getStatusCode().is5xxServerError()) {
                          int status = response.getStatusCode().value();
                          response.close();
                          throw new IssuerUnavailable("the issuer answered " + status, null);
                        }
                        return response;
                      } catch (IOException e) {
                        throw new IssuerUnavailable("the issuer cannot be reached", e);
                      }
                    }));
    return rest;
  }

  static OAuth2TokenValidator<Jwt> audience(List<String> accepted) {
    return jwt ->
        jwt.getAudience() != null && jwt.getAudience().stream().anyMatch(accepted::contains)
            ? OAuth2TokenValidatorResult.success()
            : OAuth2TokenValidatorResult.failure(
                new OAuth2Error("invalid_token", "the token is not meant for Aviary (aud)", null));
  }

  static Converter<Jwt, CallerAuthentication> converter(SecurityProperties.Oidc oidc) {
    return jwt -> {
      Object subject = claim(jwt.getClaims(), oidc.subjectClaim());
      if (!(subject instanceof String s) || s.isBlank()) {
        throw new InvalidBearerTokenException(
            "the token has no '" + oidc.subjectClaim() + "' claim");
      }
      Set<Role> roles = new LinkedHashSet<>();
      for (String value : values(claim(jwt.getClaims(), oidc.roleClaim()))) {
        String mapped = oidc.roleMapping().getOrDefault(value, value);
        Role.parse(mapped).ifPresent(roles::add);
      }
      return new CallerAuthentication(
          new Caller("oidc:" + s, roles, List.of(), Map.of(), jwt.getExpiresAt()));
    };
  }

  /** The claim at a dotted path ({@code realm_access.roles}), or null. */
  static @Nullable Object claim(Map<String, Object> claims, String path) {
    Object node = claims;
    for (String part : path.split("\\.", -1)) {
      if (!(node instanceof Map<?, ?> map)) {
        return null;
      }
      node = map.get(part);
    }
    return node;
  }

  private static List<String> values(@Nullable Object claim) {
    if (claim instanceof String s) {
      return List.of(s.split("[\\s,]+"));
    }
    if (claim instanceof Collection<?> c) {
      return c.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  /** The issuer (discovery or keys) could not be reached: retried, counted by the breaker. */
  static final class IssuerUnavailable extends RuntimeException implements Retryability {
    @Serial private static final long serialVersionUID = 1L;

    IssuerUnavailable(String message, @Nullable Throwable cause) {
      super(message, cause);
    }

    @Override
    public boolean retryable() {
      return true;
    }
  }
}
