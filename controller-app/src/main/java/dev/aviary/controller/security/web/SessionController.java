package dev.aviary.controller.security.web;

import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.controller.platform.NotFoundException;
import dev.aviary.controller.platform.UnauthenticatedException;
import dev.aviary.controller.security.DashboardSessions;
import dev.aviary.controller.security.Role;
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
  private final RoleHierarchy hierarchy;
  private final Clock clock;

  SessionController(DashboardSessions sessions, RoleHierarchy hierarchy, Clock clock) {
    this.sessions = sessions;
    this.hierarchy = hierarchy;
    this.clock = clock;
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
    Duration maxAge = Duration.between(clock.instant(), s.expiresAt());
    ResponseCookie cookie =
        ResponseCookie.from(DashboardSessions.COOKIE, s.id())
            .httpOnly(true)
            .secure(request.isSecure())
            .sameSite("Strict")
            .path("/")
            .maxAge(maxAge)
            .build();
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
