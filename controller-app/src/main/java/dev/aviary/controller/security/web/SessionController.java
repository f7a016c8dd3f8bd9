package dev.aviary.controller.security.web;

import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.controller.platform.NotFoundException;
import dev.aviary.controller.platform.UnauthenticatedException;
import dev.aviary.controller.security.DashboardSessions;
import dev.aviary.controller.security.OidcSignIn;
import dev.aviary.controller.security.Role;
import dev.aviary.controller.security.SecurityProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/session}: the dashboard's sign-in. A person presents an API token once and gets an
 * HttpOnly, SameSite=Strict session cookie (Secure over TLS) and a CSRF token for the changes the
 * page makes; the token itself never reaches the page's storage.
 */
@RestController
@RequestMapping(path = "/api/v1/session", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Session")
class SessionController {

  private final DashboardSessions sessions;
  private final OidcSignIn oidc;
  private final SecurityProperties properties;
  private final RoleHierarchy hierarchy;
  private final Clock clock;

  SessionController(
      DashboardSessions sessions,
      OidcSignIn oidc,
      SecurityProperties properties,
      RoleHierarchy hierarchy,
      Clock clock) {
    this.sessions = sessions;
    this.oidc = oidc;
    this.properties = properties;
    this.hierarchy = hierarchy;
    this.clock = clock;
  }

  /**
   * How a person may sign in.
   *
   * @param token always: with an API token
   * @param oidc whether single sign-on through the OIDC issuer is offered
   * @param issuer that issuer
   */
  record SignInOptions(boolean token, boolean oidc, @Nullable String issuer) {}

  @GetMapping("/options")
  @Operation(operationId = "signInOptions", summary = "How the dashboard may be signed in to")
  SignInOptions options() {
    return new SignInOptions(true, oidc.enabled(), oidc.enabled() ? oidc.issuer() : null);
  }

  @GetMapping("/oidc")
  @Operation(
      operationId = "signInWithOidc",
      summary = "Single sign-on: redirects the browser to the OIDC issuer (code flow with PKCE)")
  ResponseEntity<Void> startOidc(
      @RequestParam(required = false) @Nullable String next, HttpServletRequest request) {
    if (!oidc.enabled()) {
      throw new NotFoundException(
          "single sign-on is not configured (aviary.security.oidc.issuer-uri and client-id)");
    }
    try {
      OidcSignIn.Started started = oidc.start(redirectUri(request), next == null ? "/" : next);
      ResponseCookie flow =
          ResponseCookie.from(OidcSignIn.COOKIE, started.state())
              .httpOnly(true)
              .secure(request.isSecure())
              .sameSite("Lax") // the issuer's redirect back is a top-level navigation from its site
              .path("/api/v1/session/oidc")
              .maxAge(OidcSignIn.PATIENCE)
              .build();
      return ResponseEntity.status(HttpStatus.FOUND)
          .location(started.location())
          .header(HttpHeaders.SET_COOKIE, flow.toString())
          .header(HttpHeaders.CACHE_CONTROL, "no-store")
          .build();
    } catch (OidcSignIn.SignInFailed e) {
      return toSignIn(String.valueOf(e.getMessage()), request);
    }
  }

  @GetMapping("/oidc/callback")
  @Operation(
      operationId = "finishOidcSignIn",
      summary = "Where the OIDC issuer sends the browser back: sets the session, then redirects")
  ResponseEntity<Void> finishOidc(
      @RequestParam(required = false) @Nullable String code,
      @RequestParam(required = false) @Nullable String state,
      @RequestParam(required = false) @Nullable String error,
      @RequestParam(name = "error_description", required = false) @Nullable String description,
      HttpServletRequest request) {
    if (!oidc.enabled()) {
      throw new NotFoundException(
          "single sign-on is not configured (aviary.security.oidc.issuer-uri and client-id)");
    }
    if (error != null) {
      return toSignIn(
          "the identity provider did not sign you in: "
              + error
              + (description == null ? "" : " (" + description + ")"),
          request);
    }
    try {
      OidcSignIn.Finished done =
          oidc.finish(state, oidcCookie(request), code, redirectUri(request));
      return ResponseEntity.status(HttpStatus.FOUND)
          .location(java.net.URI.create(done.next()))
          .header(HttpHeaders.SET_COOKIE, sessionCookie(done.session(), request).toString())
          .header(HttpHeaders.SET_COOKIE, clearOidcCookie(request).toString())
          .header(HttpHeaders.CACHE_CONTROL, "no-store")
          .build();
    } catch (OidcSignIn.SignInFailed e) {
      return toSignIn(String.valueOf(e.getMessage()), request);
    }
  }

  private ResponseEntity<Void> toSignIn(String message, HttpServletRequest request) {
    // the message is text, never a URI template: encoded as a query value, braces and all
    java.net.URI to =
        java.net.URI.create(
            "/sign-in?error="
                + java.net.URLEncoder.encode(message, java.nio.charset.StandardCharsets.UTF_8));
    return ResponseEntity.status(HttpStatus.FOUND)
        .location(to)
        .header(HttpHeaders.SET_COOKIE, clearOidcCookie(request).toString())
        .build();
  }

  private static ResponseCookie clearOidcCookie(HttpServletRequest request) {
    return ResponseCookie.from(OidcSignIn.COOKIE, "")
        .httpOnly(true)
        .secure(request.isSecure())
        .sameSite("Lax")
        .path("/api/v1/session/oidc")
        .maxAge(0)
        .build();
  }

  private static @Nullable String oidcCookie(HttpServletRequest request) {
    jakarta.servlet.http.Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return null;
    }
    for (jakarta.servlet.http.Cookie c : cookies) {
      if (OidcSignIn.COOKIE.equals(c.getName())) {
        return c.getValue();
      }
    }
    return null;
  }

  private String redirectUri(HttpServletRequest request) {
    String configured = properties.oidc().redirectUri();
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    return org.springframework.web.servlet.support.ServletUriComponentsBuilder.fromContextPath(
            request)
        .path("/api/v1/session/oidc/callback")
        .build()
        .toUriString();
  }

  private ResponseCookie sessionCookie(DashboardSessions.Session s, HttpServletRequest request) {
    return ResponseCookie.from(DashboardSessions.COOKIE, s.id())
        .httpOnly(true)
        .secure(request.isSecure())
        .sameSite("Strict")
        .path("/")
        .maxAge(Duration.between(clock.instant(), s.expiresAt()))
        .build();
  }

  /**
   * Sign-in with an API token.
   *
   * @param token an Aviary API token ({@code avy_...})
   */
  record SignInRequest(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @Nullable String token) {}

  /**
   * A dashboard session.
   *
   * @param actor who the session acts as, as events and the audit log name it
   * @param roles the roles it holds, widened by the hierarchy (an admin is also an operator...)
   * @param plans a scoped pipeline token's plans; empty when unscoped
   * @param csrf the value every change must carry in the X-CSRF-Token header
   * @param expiresAt when the session ends
   */
  record SessionResponse(
      String actor, List<String> roles, List<String> plans, String csrf, Instant expiresAt) {}

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "signIn",
      summary = "Sign in to the dashboard with an API token: sets the session cookie")
  ResponseEntity<SessionResponse> signIn(
      @RequestBody SignInRequest body, HttpServletRequest request) {
    String token = body.token();
    if (token == null || token.isBlank()) {
      throw InvalidRequestException.of("token", "is required: an Aviary API token (avy_...)");
    }
    DashboardSessions.Session s =
        sessions
            .openWithToken(token.strip())
            .orElseThrow(
                () ->
                    new UnauthenticatedException(
                        "the token is unknown, has expired or was revoked; ask an admin for a"
                            + " token (aviary token create) or use the one the controller printed"
                            + " at its first start"));
    ResponseCookie cookie = sessionCookie(s, request);
    return ResponseEntity.status(HttpStatus.CREATED)
        .header(HttpHeaders.SET_COOKIE, cookie.toString())
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .body(response(s));
  }

  @GetMapping
  @Operation(
      operationId = "currentSession",
      summary = "The signed-in browser's session: who, roles and the CSRF token")
  ResponseEntity<SessionResponse> current(HttpServletRequest request) {
    DashboardSessions.Session s = session(request);
    return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").body(response(s));
  }

  @DeleteMapping
  @Operation(operationId = "signOut", summary = "Sign out: ends the session, clears the cookie")
  ResponseEntity<Void> signOut(HttpServletRequest request) {
    DashboardSessions.Session s = session(request);
    sessions.close(s.id());
    ResponseCookie gone =
        ResponseCookie.from(DashboardSessions.COOKIE, "")
            .httpOnly(true)
            .secure(request.isSecure())
            .sameSite("Strict")
            .path("/")
            .maxAge(0)
            .build();
    return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, gone.toString()).build();
  }

  private static DashboardSessions.Session session(HttpServletRequest request) {
    return DashboardSessions.current(request)
        .orElseThrow(
            () ->
                new NotFoundException(
                    "this request was not made with a dashboard session cookie (bearer tokens"
                        + " need no session)"));
  }

  private SessionResponse response(DashboardSessions.Session s) {
    TreeSet<String> roles = new TreeSet<>();
    List<GrantedAuthority> granted =
        s.caller().roles().stream()
            .map(r -> (GrantedAuthority) new SimpleGrantedAuthority(r.authority()))
            .toList();
    for (GrantedAuthority a : hierarchy.getReachableGrantedAuthorities(granted)) {
      String authority = String.valueOf(a.getAuthority());
      Role.parse(authority.replaceFirst("^ROLE_", "")).ifPresent(r -> roles.add(r.wireName()));
    }
    return new SessionResponse(
        s.caller().actor(), List.copyOf(roles), s.caller().plans(), s.csrf(), s.expiresAt());
  }
}
