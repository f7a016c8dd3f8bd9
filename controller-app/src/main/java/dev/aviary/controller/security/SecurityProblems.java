package dev.aviary.controller.security;

import dev.aviary.controller.platform.web.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/** 401 and 403 as RFC 9457 problem documents, like every other error of the API. */
final class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    boolean presented = e instanceof OAuth2AuthenticationException;
    String reason =
        e instanceof InvalidBearerTokenException invalid
            ? shorten(invalid.getMessage())
            : presented
                ? shorten(((OAuth2AuthenticationException) e).getError().getDescription())
                : null;
    response.setHeader(
        "WWW-Authenticate",
        presented ? "Bearer error=\"invalid_token\"" : "Bearer realm=\"aviary\"");
    ProblemWriter.write(
        response,
        401,
        presented ? "invalid-token" : "unauthenticated",
        presented ? "Invalid token" : "Authentication required",
        presented
            ? "The bearer token was refused: " + reason
            : "This endpoint needs an Authorization: Bearer header with an Aviary API token or an"
                + " OIDC access token, or a dashboard session (sign in at /)",
        Map.of());
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    String who =
        CallerActors.currentCaller()
            .map(
                c ->
                    c.actor()
                        + (c.roles().isEmpty()
                            ? " (no role)"
                            : " (role "
                                + c.roles().stream()
                                    .map(Role::wireName)
                                    .sorted()
                                    .collect(Collectors.joining(", "))
                                + ")"))
            .orElse("the caller");
    ProblemWriter.write(
        response,
        403,
        "forbidden",
        "Forbidden",
        who + " may not " + request.getMethod() + " " + request.getRequestURI(),
        Map.of());
  }

  private static @Nullable String shorten(@Nullable String message) {
    if (message == null) {
      return "it is not valid";
    }
    return message.length() > 200 ? message.substring(0, 200) + "..." : message;
  }
}
