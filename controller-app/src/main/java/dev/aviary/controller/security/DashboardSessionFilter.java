package dev.aviary.controller.security;

import dev.aviary.controller.platform.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a browser by its dashboard session cookie when it presents no bearer token, and
 * refuses any change such a browser asks for without the session's CSRF token in {@code
 * X-CSRF-Token}: another site can make a browser send the cookie, never read the token. Requests
 * with an {@code Authorization} header are left to the bearer-token filter, unchanged.
 */
final class DashboardSessionFilter extends OncePerRequestFilter {

  /** The request attribute that holds the session a request was authenticated by. */
  static final String SESSION = DashboardSessions.class.getName() + ".session";

  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  private final DashboardSessions sessions;

  DashboardSessionFilter(DashboardSessions sessions) {
    this.sessions = sessions;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String cookie = cookie(request);
    if (cookie == null || request.getHeader("Authorization") != null) {
      chain.doFilter(request, response);
      return;
    }
    Optional<DashboardSessions.Session> session = sessions.find(cookie);
    if (session.isEmpty()) {
      chain.doFilter(request, response); // signed out or expired: an anonymous request
      return;
    }
    DashboardSessions.Session s = session.get();
    if (!SAFE.contains(request.getMethod())
        && !DashboardSessions.csrfMatches(s, request.getHeader(DashboardSessions.CSRF_HEADER))) {
      ProblemWriter.write(
          response,
          403,
          "csrf",
          "Missing or wrong CSRF token",
          "a change made with a dashboard session must carry the session's CSRF token in the "
              + DashboardSessions.CSRF_HEADER
              + " header (GET /api/v1/session gives it); nothing was changed",
          Map.of());
      return;
    }
    request.setAttribute(SESSION, s);
    SecurityContextHolder.getContext().setAuthentication(new CallerAuthentication(s.caller()));
    try {
      chain.doFilter(request, response);
    } finally {
      SecurityContextHolder.clearContext();
    }
  }

  static @Nullable String cookie(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return null;
    }
    for (Cookie c : cookies) {
      if (DashboardSessions.COOKIE.equals(c.getName()) && !c.getValue().isBlank()) {
        return c.getValue();
      }
    }
    return null;
  }
}
