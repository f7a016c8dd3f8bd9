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

  static {
    ISSUER.answer(
        "/realms/aviary/.well-known/openid-configuration",
        Reply.ok(
            "application/json",
            "{\"issuer\":\""
                + ISS
                + "\",\"jwks_uri\":\""
                + ISSUER.url("/realms/aviary/keys")
                + "\"}"));
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
