package dev.aviary.controller.security;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard's sign-in over plain HTTP: what the cookie is, what a session may do, when it ends,
 * and that a change made with it needs its CSRF token. (The browser's side is DashboardBrowserIT.)
 */
@AviaryIntegrationTest
class DashboardSessionIT {

  @LocalServerPort int port;
  Api admin;
  Api anonymous;

  @BeforeEach
  void clients() {
    admin = new Api(port);
    anonymous = admin.anonymous();
  }

  private String token(String name, String role) {
    Api.Response r = admin.post("/api/v1/tokens", Map.of("name", name, "role", role));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().path("token").asString();
  }

  /** Signs in; answers the Cookie header to send and the session's CSRF token. */
  private String[] signIn(String token) {
    Api.Response r = anonymous.post("/api/v1/session", Map.of("token", token));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    String setCookie = r.header("Set-Cookie");
    return new String[] {
      setCookie.substring(0, setCookie.indexOf(';')), r.json().path("csrf").asString()
    };
  }

  @Test
  void aSignInSetsAStrictHttpOnlyCookieAndAnswersWhoWithTheRolesTheHierarchyGives() {
    String token = token("session-operator", "operator");
    Api.Response r = anonymous.post("/api/v1/session", Map.of("token", token));
    assertThat(r.status()).isEqualTo(201);
    String cookie = r.header("Set-Cookie");
    assertThat(cookie)
        .startsWith("aviary_session=")
        .contains("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=")
        .doesNotContain("Secure"); // plain HTTP here; Secure when the request came over TLS
    assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    JsonNode body = r.json();
    assertThat(body.path("actor").asString()).isEqualTo("token:session-operator");
    assertThat(body.path("roles").toString()).isEqualTo("[\"operator\",\"pipeline\",\"viewer\"]");
    assertThat(body.path("csrf").asString()).hasSize(43);
    assertThat(r.text()).doesNotContain(token);

    Api.Response current =
        anonymous.send("GET", "/api/v1/session", null, Map.of("Cookie", cookie.split(";")[0]));
    assertThat(current.status()).isEqualTo(200);
    assertThat(current.json().path("csrf").asString()).isEqualTo(body.path("csrf").asString());
  }

  @Test
  void aBadOrMissingTokenIsAClearProblemAndNoCookie() {
    Api.Response bad = anonymous.post("/api/v1/session", Map.of("token", "avy_nobody-issued-this"));
    assertThat(bad.status()).isEqualTo(401);
    assertThat(bad.json().path("type").asString())
        .isEqualTo("https://aviary.dev/problems/invalid-credentials");
    assertThat(bad.json().path("detail").asString())
        .contains("unknown, has expired or was revoked");
    assertThat(bad.header("Set-Cookie")).isNull();

    Api.Response missing = anonymous.post("/api/v1/session", Map.of());
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().path("errors").get(0).path("field").asString()).isEqualTo("token");
  }

  @Test
  void aChangeNeedsTheCsrfTokenAndTheRoleAndNothingChangesWithoutThem() {
    String plan = "session-csrf";
    assertThat(
            admin
                .post(
                    "/api/v1/plans",
                    aPlan(plan)
                        .withWeights(10)
                        .withStep(Map.of("pause", Map.of()))
                        .withWeights(100)
                        .build())
                .status())
        .isEqualTo(201);
    String id =
        admin
            .post("/api/v1/rollouts", Map.of("plan", plan, "canary", Map.of("version", "2")))
            .json()
            .path("id")
            .asString();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(
            () ->
                admin
                    .get("/api/v1/rollouts/" + id)
                    .json()
                    .path("phase")
                    .asString()
                    .equals("PAUSED"));

    String[] operator = signIn(token("session-csrf-operator", "operator"));
    String path = "/api/v1/rollouts/" + id + "/resume";
    Api.Response noToken = anonymous.send("POST", path, null, Map.of("Cookie", operator[0]));
    assertThat(noToken.status()).isEqualTo(403);
    assertThat(noToken.json().path("type").asString())
        .isEqualTo("https://aviary.dev/problems/csrf");
    Api.Response wrongToken =
        anonymous.send(
            "POST", path, null, Map.of("Cookie", operator[0], "X-CSRF-Token", "guessed"));
    assertThat(wrongToken.status()).isEqualTo(403);
    assertThat(admin.get("/api/v1/rollouts/" + id).json().path("phase").asString())
        .isEqualTo("PAUSED");

    String[] viewer = signIn(token("session-csrf-viewer", "viewer"));
    Api.Response viewerTry =
        anonymous.send("POST", path, null, Map.of("Cookie", viewer[0], "X-CSRF-Token", viewer[1]));
    assertThat(viewerTry.status()).isEqualTo(403);
    assertThat(viewerTry.json().path("type").asString())
        .isEqualTo("https://aviary.dev/problems/forbidden");

    Api.Response done =
        anonymous.send(
            "POST", path, null, Map.of("Cookie", operator[0], "X-CSRF-Token", operator[1]));
    assertThat(done.status()).as(done.text()).isEqualTo(200);
    JsonNode events = admin.get("/api/v1/rollouts/" + id + "/events").json().path("items");
    boolean byOperator = false;
    for (JsonNode e : events) {
      byOperator |= e.path("actor").asString().equals("token:session-csrf-operator");
    }
    assertThat(byOperator).as("the action is the signed-in person's").isTrue();
  }

  @Test
  void revokingTheTokenOrSigningOutEndsTheSession() {
    String[] s = signIn(token("session-revoked", "viewer"));
    assertThat(anonymous.send("GET", "/api/v1/rollouts", null, Map.of("Cookie", s[0])).status())
        .isEqualTo(200);
    assertThat(admin.delete("/api/v1/tokens/session-revoked", Map.of()).status()).isEqualTo(200);
    assertThat(anonymous.send("GET", "/api/v1/rollouts", null, Map.of("Cookie", s[0])).status())
        .isEqualTo(401);

    String[] t = signIn(token("session-signed-out", "viewer"));
    Api.Response outWithoutCsrf =
        anonymous.send("DELETE", "/api/v1/session", null, Map.of("Cookie", t[0]));
    assertThat(outWithoutCsrf.status()).isEqualTo(403);
    Api.Response out =
        anonymous.send(
            "DELETE", "/api/v1/session", null, Map.of("Cookie", t[0], "X-CSRF-Token", t[1]));
    assertThat(out.status()).isEqualTo(204);
    assertThat(out.header("Set-Cookie")).contains("Max-Age=0");
    assertThat(anonymous.send("GET", "/api/v1/rollouts", null, Map.of("Cookie", t[0])).status())
        .isEqualTo(401);
  }

  @Test
  void aBearerTokenNeedsNoSessionAndNoCsrfAndWinsOverACookie() {
    String[] viewer = signIn(token("session-bearer-viewer", "viewer"));
    // an admin's bearer request carrying a viewer's cookie acts as the admin, with no CSRF token
    Api.Response r =
        admin.send(
            "POST",
            "/api/v1/tokens",
            Map.of("name", "session-bearer-made", "role", "viewer"),
            Map.of("Cookie", viewer[0]));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    Api.Response session = admin.get("/api/v1/session");
    assertThat(session.status()).isEqualTo(404);
  }
}
