package dev.aviary.controller.security;

import dev.aviary.controller.platform.RemoteCalls;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Service;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Single sign-on to the dashboard through the configured OIDC issuer: the authorization code flow
 * with PKCE (RFC 7636, S256) and a nonce. The state is held by the browser in a cookie and, hashed,
 * in PostgreSQL with the verifier and the nonce, so any replica can finish a sign-in another one
 * began, each state is used once, and a browser cannot finish a sign-in it did not start. The ID
 * token is checked (signature by the issuer's keys, issuer, audience = the client, expiry, nonce)
 * and mapped to roles as the API maps access tokens.
 */
@Service
public class OidcSignIn {

  /** The cookie that binds a sign-in in progress to the browser that started it. */
  public static final String COOKIE = "aviary_oidc";

  /** How long a person has at the issuer before the sign-in must start again. */
  public static final Duration PATIENCE = Duration.ofMinutes(10);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration DISCOVERY_AGE = Duration.ofMinutes(10);

  private final SecurityProperties.Oidc oidc;
  private final JdbcClient jdbc;
  private final Clock clock;
  private final JsonMapper json;
  private final DashboardSessions sessions;
  private final RestTemplate rest;
  private volatile @Nullable Discovery discovery;

  OidcSignIn(
      SecurityProperties properties,
      JdbcClient jdbc,
      Clock clock,
      JsonMapper json,
      DashboardSessions sessions,
      RemoteCalls remote) {
    this.oidc = properties.oidc();
    this.jdbc = jdbc;
    this.clock = clock;
    this.json = json;
    this.sessions = sessions;
    this.rest = OidcAuthentication.rest(oidc, remote);
  }

  /** Where the issuer's endpoints are, read from its discovery document. */
  private record Discovery(
      String issuer, String authorization, String token, String jwks, Instant at) {}

  /** A sign-in could not be completed; the message is for the person, in words. */
  public static final class SignInFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SignInFailed(String message) {
      super(message);
    }
  }

  /**
   * A sign-in begun: where to send the browser, and the state its cookie must hold.
   *
   * @param location the issuer's authorization URL
   * @param state the cookie's value
   */
  public record Started(URI location, String state) {}

  /**
   * A sign-in finished.
   *
   * @param session the new dashboard session
   * @param next where the person was going
   */
  public record Finished(DashboardSessions.Session session, String next) {}

  public boolean enabled() {
    return oidc.signInEnabled();
  }

  /** The issuer people sign in with, as configured. */
  public String issuer() {
    return oidc.issuerUri();
  }

  /** Begins a sign-in that returns to {@code redirectUri} and then leads to {@code next}. */
  public Started start(String redirectUri, String next) {
    Discovery d = discovery();
    String state = random();
    String verifier = random() + random(); // 86 characters, within RFC 7636's 43 to 128
    String nonce = random();
    Instant now = clock.instant();
    jdbc.sql("DELETE FROM oidc_sign_in WHERE expires_at <= :now")
        .param("now", Timestamp.from(now))
        .update();
    jdbc.sql(
            "INSERT INTO oidc_sign_in (state_hash, verifier, nonce, next, expires_at)"
                + " VALUES (:hash, :verifier, :nonce, :next, :expires)")
        .param("hash", ApiTokens.hash(state))
        .param("verifier", verifier)
        .param("nonce", nonce)
        .param("next", safeNext(next))
        .param("expires", Timestamp.from(now.plus(PATIENCE)))
        .update();
    URI location =
        UriComponentsBuilder.fromUriString(d.authorization())
            .queryParam("response_type", "code")
            .queryParam("client_id", oidc.clientId())
            .queryParam("redirect_uri", redirectUri)
            .queryParam("scope", oidc.scopes())
            .queryParam("state", state)
            .queryParam("nonce", nonce)
            .queryParam("code_challenge", challenge(verifier))
            .queryParam("code_challenge_method", "S256")
            .build() // values encoded as values, not expanded as URI templates
            .encode()
            .toUri();
    return new Started(location, state);
  }

  /**
   * Finishes the sign-in the issuer sent the browser back from: the state must be the one this
   * browser's cookie holds, unused and fresh; the code is exchanged with the verifier.
   */
  public Finished finish(
      @Nullable String state,
      @Nullable String cookieState,
      @Nullable String code,
      String redirectUri) {
    if (state == null || code == null) {
      throw new SignInFailed("the identity provider sent the browser back without a code");
    }
    if (cookieState == null
        || !MessageDigest.isEqual(
            state.getBytes(StandardCharsets.UTF_8), cookieState.getBytes(StandardCharsets.UTF_8))) {
      throw new SignInFailed(
          "this sign-in was not started in this browser (or its cookie was lost): start again");
    }
    Optional<Pending> pending =
        jdbc.sql(
                "DELETE FROM oidc_sign_in WHERE state_hash = :hash AND expires_at > :now"
                    + " RETURNING verifier, nonce, next")
            .param("hash", ApiTokens.hash(state))
            .param("now", Timestamp.from(clock.instant()))
            .query(
                (rs, n) ->
                    new Pending(
                        rs.getString("verifier"), rs.getString("nonce"), rs.getString("next")))
            .optional();
    if (pending.isEmpty()) {
      throw new SignInFailed(
          "this sign-in has expired or was already used (more than "
              + PATIENCE.toMinutes()
              + " minutes at the identity provider?): start again");
    }
    Discovery d = discovery();
    String idToken = exchange(d, code, pending.get().verifier(), redirectUri);
    Jwt jwt = verify(d, idToken, pending.get().nonce());
    Caller caller;
    try {
      caller = OidcAuthentication.converter(oidc).convert(jwt).caller();
    } catch (RuntimeException e) {
      throw new SignInFailed("the identity provider's ID token names nobody: " + e.getMessage());
    }
    if (caller.roles().isEmpty()) {
      throw new SignInFailed(
          caller.actor()
              + " has no Aviary role: the ID token's '"
              + oidc.roleClaim()
              + "' claim holds none that aviary.security.oidc.role-mapping maps to a role");
    }
    Instant expires = clock.instant().plus(Duration.ofDays(3650)); // the session lifetime caps it
    return new Finished(sessions.openFor(caller, expires), pending.get().next());
  }

  private record Pending(String verifier, String nonce, String next) {}

  private String exchange(Discovery d, String code, String verifier, String redirectUri) {
    MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
    form.add("grant_type", "authorization_code");
    form.add("code", code);
    form.add("redirect_uri", redirectUri);
    form.add("client_id", oidc.clientId());
    form.add("code_verifier", verifier);
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_FORM_URLENCODED);
    headers.setAccept(List.of(MediaType.APPLICATION_JSON));
    if (oidc.clientSecret() != null && !oidc.clientSecret().isBlank()) {
      headers.setBasicAuth(oidc.clientId(), oidc.clientSecret(), StandardCharsets.UTF_8);
    }
    String body;
    try {
      body = rest.postForObject(d.token(), new HttpEntity<>(form, headers), String.class);
    } catch (RestClientResponseException e) {
      throw new SignInFailed(
          "the identity provider refused the sign-in code ("
              + e.getStatusCode().value()
              + "): "
              + describe(e.getResponseBodyAsString()));
    } catch (RestClientException | IllegalStateException e) {
      throw new SignInFailed("the identity provider could not be reached to finish the sign-in");
    }
    JsonNode token = json.readTree(body == null ? "{}" : body);
    String idToken = token.path("id_token").asString("");
    if (idToken.isBlank()) {
      throw new SignInFailed("the identity provider answered without an ID token (scope openid?)");
    }
    return idToken;
  }

  private String describe(String errorBody) {
    try {
      JsonNode e = json.readTree(errorBody);
      String text = e.path("error").asString("") + " " + e.path("error_description").asString("");
      return text.isBlank() ? "no reason given" : text.strip();
    } catch (RuntimeException notJson) {
      return "no reason given";
    }
  }

  private Jwt verify(Discovery d, String idToken, String nonce) {
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withJwkSetUri(d.jwks()).restOperations(rest).build();
    List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
    validators.add(JwtValidators.createDefaultWithIssuer(d.issuer()));
    validators.add(OidcAuthentication.audience(List.of(oidc.clientId())));
    validators.add(
        jwt ->
            nonce.equals(jwt.getClaimAsString("nonce"))
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(
                    new OAuth2Error(
                        "invalid_token", "the ID token's nonce is not this sign-in's", null)));
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
    try {
      return decoder.decode(idToken);
    } catch (JwtException e) {
      throw new SignInFailed("the identity provider's ID token was refused: " + e.getMessage());
    }
  }

  private Discovery discovery() {
    Discovery d = discovery;
    Instant now = clock.instant();
    if (d != null && d.at().plus(DISCOVERY_AGE).isAfter(now)) {
      return d;
    }
    String url = oidc.issuerUri().replaceAll("/+$", "") + "/.well-known/openid-configuration";
    try {
      JsonNode doc = json.readTree(rest.getForObject(url, String.class));
      Discovery fresh =
          new Discovery(
              required(doc, "issuer"),
              required(doc, "authorization_endpoint"),
              required(doc, "token_endpoint"),
              required(doc, "jwks_uri"),
              now);
      discovery = fresh;
      return fresh;
    } catch (RestClientException | IllegalStateException | tools.jackson.core.JacksonException e) {
      throw new SignInFailed("the identity provider's discovery document could not be read");
    }
  }

  private static String required(JsonNode doc, String field) {
    String v = doc.path(field).asString("");
    if (v.isBlank()) {
      throw new SignInFailed("the identity provider's discovery document has no " + field);
    }
    return v;
  }

  /** Only a path on this site: never a redirect elsewhere. */
  static String safeNext(@Nullable String next) {
    if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")) {
      return "/";
    }
    return next.length() > 500 ? "/" : next;
  }

  static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
