package dev.aviary.controller.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code aviary.security.*}: how callers get in and what protects the API. Documented in
 * docs/security.md.
 *
 * @param bootstrapToken an admin token to accept from the start (AVIARY_BOOTSTRAP_TOKEN); when
 *     blank and no token exists yet, one is generated and printed once
 * @param bootstrapTokenFile where a generated admin token is also written (mode 0600)
 * @param metricsEndpoint {@code public} or {@code authenticated}: who may read /actuator/prometheus
 * @param tokenLifetime the expiry of a token issued without one
 * @param maxTokenLifetime the longest expiry a token may be issued with
 * @param dashboard the web dashboard's sign-in sessions
 */
@ConfigurationProperties("aviary.security")
public record SecurityProperties(
    String bootstrapToken,
    @DefaultValue("./.aviary/admin-token") String bootstrapTokenFile,
    @DefaultValue("public") String metricsEndpoint,
    @DefaultValue("90d") Duration tokenLifetime,
    @DefaultValue("730d") Duration maxTokenLifetime,
    @DefaultValue Cors cors,
    @DefaultValue RateLimit rateLimit,
    @DefaultValue Oidc oidc,
    @DefaultValue Dashboard dashboard) {

  /**
   * Dashboard sessions.
   *
   * @param sessionLifetime how long a sign-in lasts at most (never longer than its token)
   */
  public record Dashboard(@DefaultValue("12h") Duration sessionLifetime) {}

  /** Browser origins allowed to call the API; none by default. */
  public record Cors(@DefaultValue List<String> allowedOrigins) {}

  /** Mutating requests (POST, PUT, PATCH, DELETE) each caller may make per minute. */
  public record RateLimit(@DefaultValue("120") int mutationsPerMinute) {}

  /**
   * An external OAuth2/OIDC issuer whose JWTs are accepted beside Aviary's own tokens.
   *
   * @param issuerUri the issuer ({@code iss}); its discovery document names the keys
   * @param jwkSetUri the keys, when the issuer has no discovery document
   * @param audiences accepted {@code aud} values; any when empty
   * @param roleClaim the claim (a dotted path, such as {@code realm_access.roles}) whose values
   *     name roles
   * @param subjectClaim the claim recorded as the actor
   * @param roleMapping claim values mapped to Aviary roles; a value that is itself a role name maps
   *     to that role
   * @param timeout connect and read timeout of calls to the issuer
   * @param clientId the dashboard's client at the issuer: set it (with {@code issuerUri}) to offer
   *     single sign-on on the dashboard (authorization code with PKCE)
   * @param clientSecret that client's secret, for an issuer that requires one (sent with HTTP
   *     Basic); a public client has none
   * @param scopes the scopes asked for at sign-in
   * @param redirectUri where the issuer sends the browser back; by default the controller's own
   *     {@code /api/v1/session/oidc/callback} as the request reached it
   */
  public record Oidc(
      String issuerUri,
      String jwkSetUri,
      @DefaultValue List<String> audiences,
      @DefaultValue("roles") String roleClaim,
      @DefaultValue("sub") String subjectClaim,
      @DefaultValue Map<String, String> roleMapping,
      @DefaultValue("5s") Duration timeout,
      String clientId,
      String clientSecret,
      @DefaultValue("openid profile email") String scopes,
      String redirectUri) {

    public boolean enabled() {
      return (issuerUri != null && !issuerUri.isBlank())
          || (jwkSetUri != null && !jwkSetUri.isBlank());
    }

    /** Whether the dashboard offers single sign-on through this issuer. */
    public boolean signInEnabled() {
      return issuerUri != null && !issuerUri.isBlank() && clientId != null && !clientId.isBlank();
    }
  }

  public boolean metricsPublic() {
    return !"authenticated".equalsIgnoreCase(metricsEndpoint);
  }
}
