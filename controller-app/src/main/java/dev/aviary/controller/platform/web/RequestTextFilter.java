package dev.aviary.controller.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, before anything reads them, request values that are not text: a query parameter with a
 * control character (NUL, which PostgreSQL cannot store), and an {@code If-Match}, {@code
 * Idempotency-Key} or {@code Last-Event-ID} that is not printable ASCII. One 400 problem names
 * every such parameter and header.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class RequestTextFilter extends OncePerRequestFilter {

  private static final Set<String> ASCII_HEADERS =
      Set.of("if-match", "idempotency-key", "last-event-id");

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/api/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    List<Map<String, String>> errors = new ArrayList<>();
    for (Map.Entry<String, String[]> p : request.getParameterMap().entrySet()) {
      boolean bad = ControlCharacters.in(p.getKey(), false);
      for (String v : p.getValue()) {
        bad |= ControlCharacters.in(v, false);
      }
      if (bad) {
        errors.add(
            error(
                printable(p.getKey()),
                "a query parameter must not contain control characters such as NUL (U+0000)"));
      }
    }
    Enumeration<String> names = request.getHeaderNames();
    while (names != null && names.hasMoreElements()) {
      String name = names.nextElement();
      if (!ASCII_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        continue;
      }
      Enumeration<String> values = request.getHeaders(name);
      while (values.hasMoreElements()) {
        if (!printableAscii(values.nextElement())) {
          errors.add(error(name, "the header must be printable ASCII"));
          break;
        }
      }
    }
    if (!errors.isEmpty()) {
      ProblemWriter.write(
          response,
          400,
          "invalid-request",
          "Invalid request",
          errors.size()
              + (errors.size() == 1 ? " field is invalid: " : " fields are invalid: ")
              + String.join(", ", errors.stream().map(e -> e.get("field")).toList()),
          Map.of("errors", errors));
      return;
    }
    chain.doFilter(request, response);
  }

  private static Map<String, String> error(String field, String message) {
    Map<String, String> e = new LinkedHashMap<>();
    e.put("field", field);
    e.put("message", message);
    return e;
  }

  private static boolean printableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.toString();
  }
}
