package dev.aviary.controller.security;

import dev.aviary.controller.platform.web.ProblemWriter;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * At most {@code aviary.security.rate-limit.mutations-per-minute} mutating requests (POST, PUT,
 * PATCH, DELETE on {@code /api/}) per caller and minute, each caller with its own Resilience4j
 * RateLimiter; over the limit a {@code 429} problem with {@code Retry-After}. Reads are not
 * limited.
 */
final class MutationRateLimitFilter extends OncePerRequestFilter {

  private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

  private final RateLimiterRegistry limiters;
  private final int perMinute;

  MutationRateLimitFilter(int perMinute) {
    this.perMinute = perMinute;
    this.limiters =
        RateLimiterRegistry.of(
            RateLimiterConfig.custom()
                .limitForPeriod(perMinute)
                .limitRefreshPeriod(Duration.ofMinutes(1))
                .timeoutDuration(Duration.ZERO)
                .build());
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !MUTATING.contains(request.getMethod()) || !request.getRequestURI().startsWith("/api/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<Caller> caller = CallerActors.currentCaller();
    if (caller.isEmpty()) {
      chain.doFilter(request, response);
      return;
    }
    RateLimiter limiter = limiters.rateLimiter("mutations:" + caller.get().actor());
    if (limiter.acquirePermission()) {
      chain.doFilter(request, response);
      return;
    }
    long seconds = Math.max(1, (long) Math.ceil(nanosToWait(limiter) / 1e9));
    response.setHeader("Retry-After", Long.toString(seconds));
    ProblemWriter.write(
        response,
        429,
        "rate-limited",
        "Too many requests",
        caller.get().actor()
            + " made more than "
            + perMinute
            + " changes in a minute; try again in "
            + seconds
            + " s",
        Map.of("retryAfterSeconds", seconds));
  }

  private static long nanosToWait(RateLimiter limiter) {
    if (limiter instanceof AtomicRateLimiter atomic) {
      return Math.max(0, atomic.getDetailedMetrics().getNanosToWait());
    }
    return Duration.ofMinutes(1).toNanos();
  }
}
