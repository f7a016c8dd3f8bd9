package dev.aviary.controller.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.TestDatabaseInitializer;
import dev.aviary.testing.TextHttpServer;
import dev.aviary.testing.TextHttpServer.Reply;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The optional parts, in a controller of their own: JWTs from an OIDC issuer (its discovery
 * document and keys served by a local HTTP server, its tokens signed with a key this test makes),
 * the rate limit on changes, an allowed CORS origin, and metrics behind authentication.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@ActiveProfiles("test")
class SecurityOptionsIT {

  private static final RSAKey KEY = rsaKey("issuer-key");
  private static final RSAKey STRANGER = rsaKey("issuer-key");
  private static final TextHttpServer ISSUER = new TextHttpServer();
  private static final String ISS = ISSUER.url("/realms/aviary");
  private static final int MUTATIONS_PER_MINUTE = 5;
  private static final String CLIENT = "aviary-dashboard";

  /**
   * Codes the issuer handed out at its authorization endpoint (played by the test, as the person
   * signing in): code to {challenge, nonce, subject, group, redirect_uri}.
   */
  private static final Map<String, String[]> CODES = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The issuer's token endpoint as OpenID Connect Core 3.1.3 and RFC 7636 say: a code once, for the
   * redirect URI and client it was issued to, and only with the verifier whose S256 hash is the
   * challenge of the authorization request.
   */
  private static Reply token(TextHttpServer.Recorded r) {
    Map<String, String> form = new java.util.HashMap<>();
    for (String pair : r.body().split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(
            java.net.URLDecoder.decode(
                pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
            java.net.URLDecoder.decode(
                pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    String[] c = CODES.remove(String.valueOf(form.get("code")));
    if (c == null) {
      return new Reply(
          400,
          "application/json",
          "{\"error\":\"invalid_grant\",\"error_description\":\"unknown or used code\"}");
    }
    if (!"authorization_code".equals(form.get("grant_type"))
        || !CLIENT.equals(form.get("client_id"))
        || !c[4].equals(form.get("redirect_uri"))
        || !c[0].equals(OidcSignIn.challenge(String.valueOf(form.get("code_verifier"))))) {
      return new Reply(
          400,
          "application/json",
          "{\"error\":\"invalid_grant\",\"error_description\":\"PKCE verification failed\"}");
    }
    String idToken =
        jwt(
            KEY,
            b ->
                b.audience(CLIENT)
                    .subject(c[2])
                    .claim("nonce", c[1])
                    .claim("realm_access", Map.of("roles", List.of(c[3]))));
    return Reply.ok(
        "application/json",
        "{\"access_token\":\"opaque\",\"token_type\":\"Bearer\",\"id_token\":\"" + idToken + "\"}");
  }

  static {
    ISSUER.answer(
        "/realms/aviary/.well-known/openid-configuration",
        Reply.ok(
            "application/json",
            "{\"issuer\":\""
                + ISS
                + "\",\"jwks_uri\":\""
                + ISSUER.url("/realms/aviary/keys")
                + "\",\"authorization_endpoint\":\""
                + ISSUER.url("/realms/aviary/auth")
                + "\",\"token_endpoint\":\""
                + ISSUER.url("/realms/aviary/token")
                + "\"}"));
    ISSUER.answer("/realms/aviary/token", SecurityOptionsIT::token);
    ISSUER.answer(
        "/realms/aviary/keys",
        Reply.ok("application/json", new JWKSet(KEY.toPublicJWK()).toString()));
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("aviary.security.oidc.issuer-uri", () -> ISS);
    registry.add("aviary.security.oidc.audiences", () -> "aviary");
    registry.add("aviary.security.oidc.role-claim", () -> "realm_access.roles");
    registry.add("aviary.security.oidc.role-mapping.release-engineers", () -> "operator");
    registry.add("aviary.security.oidc.client-id", () -> CLIENT);
    registry.add(
        "aviary.security.rate-limit.mutations-per-minute", () -> "" + MUTATIONS_PER_MINUTE);
    registry.add("aviary.security.cors.allowed-origins", () -> "https://console.example");
    registry.add("aviary.security.metrics-endpoint", () -> "authenticated");
  }

  @AfterAll
  static void stopIssuer() {
    ISSUER.close();
  }

  @LocalServerPort int port;
  @Autowired CircuitBreakerRegistry breakers;

  private static RSAKey rsaKey(String id) {
    try {
      return new RSAKeyGenerator(2048).keyID(id).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String jwt(RSAKey key, Consumer<JWTClaimsSet.Builder> claims) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder builder =
        new JWTClaimsSet.Builder()
            .issuer(ISS)
            .subject("alice")
            .audience("aviary")
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
            .claim("realm_access", Map.of("roles", List.of("release-engineers")));
    claims.accept(builder);
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
              builder.build());
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A valid JWT for {@code subject} whose role claim holds {@code role}. */
  private static String withRole(String subject, String role) {
    return jwt(KEY, c -> c.subject(subject).claim("realm_access", Map.of("roles", List.of(role))));
  }

  private Api as(String token) {
    return new Api(port).withToken(token);
  }

  /** A browser: its own cookies, redirects followed by the test, one step at a time. */
  private static java.net.http.HttpClient browser() {
    return java.net.http.HttpClient.newBuilder()
        .cookieHandler(new java.net.CookieManager())
        .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
        .build();
  }

  private static java.net.http.HttpResponse<String> get(
      java.net.http.HttpClient browser, String url) throws Exception {
    return browser.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, String> query(String url) {
    Map<String, String> q = new java.util.HashMap<>();
    for (String pair : java.net.URI.create(url).getRawQuery().split("&", -1)) {
      int eq = pair.indexOf('=');
      q.put(
          pair.substring(0, eq),
          java.net.URLDecoder.decode(
              pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
    }
    return q;
  }

  /** Starts a sign-in and plays the issuer's sign-in page: answers the callback URL it leads to. */
  private String authorize(java.net.http.HttpClient browser, String subject, String group)
      throws Exception {
    var start = get(browser, "http://localhost:" + port + "/api/v1/session/oidc?next=/rollouts");
    assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
    String location = start.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(ISSUER.url("/realms/aviary/auth"));
    Map<String, String> q = query(location);
    assertThat(q)
        .containsEntry("response_type", "code")
        .containsEntry("client_id", CLIENT)
        .containsEntry("code_challenge_method", "S256")
        .containsKeys("state", "nonce", "code_challenge", "redirect_uri");
    assertThat(q.get("scope")).contains("openid");
    String code = java.util.UUID.randomUUID().toString();
    CODES.put(
        code,
        new String[] {
          q.get("code_challenge"), q.get("nonce"), subject, group, q.get("redirect_uri")
        });
    return q.get("redirect_uri")
        + "?code="
        + code
        + "&state="
        + java.net.URLEncoder.encode(q.get("state"), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void theDashboardSignsInThroughTheIssuerWithTheCodeFlowAndPkce() throws Exception {
    var browser = browser();
    String callback = authorize(browser, "jane", "release-engineers");
    var back = get(browser, callback);
    assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
    assertThat(back.headers().firstValue("Location")).hasValue("/rollouts");
    assertThat(back.headers().allValues("Set-Cookie"))
        .anyMatch(c -> c.startsWith("aviary_session=") && c.contains("HttpOnly"));
    var session = get(browser, "http://localhost:" + port + "/api/v1/session");
    assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
    assertThat(session.body()).contains("\"actor\":\"oidc:jane\"", "\"operator\"");
    // the token endpoint was asked once, with a verifier (the issuer checked it against the hash)
    assertThat(ISSUER.requests())
        .filteredOn(r -> r.path().endsWith("/token"))
        .anyMatch(r -> r.body().contains("code_verifier="));

    // the same return again: the state was used
    var replay = get(browser, callback);
    assertThat(replay.headers().firstValue("Location").orElseThrow()).startsWith("/sign-in?error=");
  }

  @Test
  void aSignInFinishedInAnotherBrowserOrWithoutARoleOrRefusedByTheIssuerMakesNoSession()
      throws Exception {
    // a state started in one browser, its return opened in another (a login CSRF)
    String callback = authorize(browser(), "mallory", "release-engineers");
    var elsewhere = browser();
    var stolen = get(elsewhere, callback);
    assertThat(stolen.statusCode()).isEqualTo(302);
    assertThat(
            java.net.URLDecoder.decode(
                stolen.headers().firstValue("Location").orElseThrow(),
                java.nio.charset.StandardCharsets.UTF_8))
        .startsWith("/sign-in?error=")
        .contains("not started in this browser");
    assertThat(get(elsewhere, "http://localhost:" + port + "/api/v1/session").statusCode())
        .isEqualTo(401);

    var roleless = browser();
    var noRole = get(roleless, authorize(roleless, "guest", "visitors"));
    assertThat(
            java.net.URLDecoder.decode(
                noRole.headers().firstValue("Location").orElseThrow(),
                java.nio.charset.StandardCharsets.UTF_8))
        .contains("oidc:guest has no Aviary role");
    assertThat(get(roleless, "http://localhost:" + port + "/api/v1/session").statusCode())
        .isEqualTo(401);

    var refused = browser();
    var denied =
        get(
            refused,
            "http://localhost:"
                + port
                + "/api/v1/session/oidc/callback?error=access_denied"
                + "&error_description=%24%7Bversion%7D%20%7Bx%7D"); // text, not a URI template
    assertThat(
            java.net.URLDecoder.decode(
                denied.headers().firstValue("Location").orElseThrow(),
                java.nio.charset.StandardCharsets.UTF_8))
        .contains("did not sign you in: access_denied (${version} {x})");
    assertThat(
            new Api(port)
                .anonymous()
                .get("/api/v1/session/options")
                .json()
                .path("oidc")
                .asBoolean())
        .isTrue();
  }

  @Test
  void aJwtFromTheIssuerIsAcceptedWithItsMappedRole() {
    Api alice = as(jwt(KEY, c -> {}));
    Api.Response whoami = alice.get("/api/v1/whoami");
    assertThat(whoami.status()).as(whoami.text()).isEqualTo(200);
    assertThat(whoami.json().path("actor").asString()).isEqualTo("oidc:alice");
    assertThat(whoami.json().path("roles").toString()).isEqualTo("[\"operator\"]");
    assertThat(alice.get("/api/v1/plans").status()).isEqualTo(200);
    assertThat(alice.get("/api/v1/tokens").status()).isEqualTo(403);
    // the issuer's keys were fetched through the "oidc" circuit breaker
    assertThat(breakers.find("oidc")).isPresent();
    assertThat(ISSUER.requests()).anyMatch(r -> r.path().equals("/realms/aviary/keys"));
    // Aviary's own tokens keep working beside the issuer's
    assertThat(new Api(port).get("/api/v1/tokens").status()).isEqualTo(200);
  }

  @Test
  void aRoleNamedDirectlyInTheClaimCountsToo() {
    Api bob = as(withRole("bob", "admin"));
    assertThat(bob.get("/api/v1/tokens").status()).isEqualTo(200);
  }

  @Test
  void expiredForeignWrongIssuerAndWrongAudienceTokensAre401() {
    Instant past = Instant.now().minus(Duration.ofMinutes(30));
    Map<String, String> refused =
        Map.of(
            "expired",
                jwt(
                    KEY,
                    c ->
                        c.issueTime(Date.from(past.minusSeconds(60)))
                            .expirationTime(Date.from(past))),
            "signed by another key", jwt(STRANGER, c -> {}),
            "another issuer", jwt(KEY, c -> c.issuer("https://elsewhere.example")),
            "another audience", jwt(KEY, c -> c.audience("grafana")),
            "altered", jwt(KEY, c -> {}).replaceFirst("\\.(.)", ".X"));
    refused.forEach(
        (why, token) -> {
          Api.Response r = as(token).get("/api/v1/plans");
          assertThat(r.status()).as(why + ": " + r.text()).isEqualTo(401);
          assertThat(r.json().path("type").asString())
              .as(why)
              .isEqualTo("https://aviary.dev/problems/invalid-token");
          assertThat(r.header("WWW-Authenticate")).as(why).contains("invalid_token");
        });
  }

  @Test
  void aValidJwtWithoutARoleIsForbiddenEverythingButWhoami() {
    Api carol = as(withRole("carol", "intern"));
    assertThat(carol.get("/api/v1/whoami").json().path("roles").toString()).isEqualTo("[]");
    Api.Response plans = carol.get("/api/v1/plans");
    assertThat(plans.status()).isEqualTo(403);
    assertThat(plans.json().path("detail").asString()).contains("oidc:carol (no role)");
  }

  @Test
  void changesBeyondTheRateLimitGet429WithRetryAfterWhileReadsAndOthersGoOn() {
    Map<String, Object> judgement =
        Map.of(
            "judge",
            Map.of("type", "threshold"),
            "metrics",
            List.of(Map.of("name", "error_rate", "max", 0.01, "canary", List.of(0.0))));
    Api dave = as(withRole("dave", "operator"));
    for (int i = 0; i < MUTATIONS_PER_MINUTE; i++) {
      assertThat(dave.post("/api/v1/judgements", judgement).status()).isEqualTo(200);
    }
    Api.Response limited = dave.post("/api/v1/judgements", judgement);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.json().path("type").asString())
        .isEqualTo("https://aviary.dev/problems/rate-limited");
    assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
    assertThat(dave.get("/api/v1/plans").status()).isEqualTo(200);
    Api erin = as(withRole("erin", "operator"));
    assertThat(erin.post("/api/v1/judgements", judgement).status()).isEqualTo(200);
  }

  @Test
  void anAllowedOriginGetsCorsHeadersAndOthersDoNot() {
    Api.Response preflight =
        new Api(port)
            .anonymous()
            .send(
                "OPTIONS",
                "/api/v1/plans",
                null,
                Map.of(
                    "Origin",
                    "https://console.example",
                    "Access-Control-Request-Method",
                    "POST",
                    "Access-Control-Request-Headers",
                    "authorization,content-type"));
    assertThat(preflight.status()).isEqualTo(200);
    assertThat(preflight.header("Access-Control-Allow-Origin"))
        .isEqualTo("https://console.example");
    Api.Response call =
        new Api(port).withHeader("Origin", "https://console.example").get("/api/v1/plans");
    assertThat(call.status()).isEqualTo(200);
    assertThat(call.header("Access-Control-Allow-Origin")).isEqualTo("https://console.example");
    assertThat(
            new Api(port)
                .withHeader("Origin", "https://evil.example")
                .get("/api/v1/plans")
                .status())
        .isEqualTo(403);
  }

  @Test
  void metricsCanBeKeptBehindAuthentication() {
    assertThat(new Api(port).anonymous().get("/actuator/prometheus").status()).isEqualTo(401);
    assertThat(new Api(port).get("/actuator/prometheus").status()).isEqualTo(200);
    assertThat(new Api(port).anonymous().get("/actuator/health/readiness").status()).isEqualTo(200);
  }
}
