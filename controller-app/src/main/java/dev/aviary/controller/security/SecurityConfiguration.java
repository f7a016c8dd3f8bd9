package dev.aviary.controller.security;

import dev.aviary.controller.platform.RemoteCalls;
import dev.aviary.controller.platform.web.ProblemWriter;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * Who may call what. Every {@code /api/**} request needs a bearer token (an Aviary API token or an
 * OIDC JWT) or a dashboard session cookie whose role allows it; see docs/security.md for the
 * matrix. Bearer requests are stateless; a dashboard session is a database row, and every change
 * made with one must carry its CSRF token. Cross-origin browser calls are refused unless origins
 * are listed. The dashboard's pages and assets are public (they hold no data) under a strict
 * Content-Security-Policy: scripts and styles from this origin only, nothing inline.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
class SecurityConfiguration {

  private static final String V1 = "/api/v1";

  /** The dashboard's pages (one shell, routed in the browser) and its assets: no data in them. */
  static final String[] DASHBOARD_PAGES = {
    "/",
    "/index.html",
    "/favicon.ico",
    "/assets/**",
    "/webjars/**",
    "/sign-in",
    "/rollouts",
    "/rollouts/*",
    "/approvals/*",
    "/plans",
    "/plans/*",
    "/tokens",
    "/audit"
  };

  /** Only this origin's scripts, styles and connections; no inline code, no framing. */
  static final String DASHBOARD_CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  @Bean
  static RoleHierarchy roleHierarchy() {
    return RoleHierarchyImpl.fromHierarchy(Role.HIERARCHY);
  }

  /**
   * A request the firewall refuses (an encoded slash or a NUL in the URL, a header value outside
   * what HTTP allows) gets a 400 problem document, not a server error; its content is not repeated.
   */
  @Bean
  RequestRejectedHandler requestRejectedHandler() {
    return (request, response, rejected) ->
        ProblemWriter.write(
            response,
            400,
            "invalid-request",
            "Invalid request",
            "the request's URL or headers hold characters or sequences the API refuses (an"
                + " encoded slash or a NUL in the path, a header value that is not ASCII)",
            Map.of());
  }

  @Bean
  SecurityFilterChain api(
      HttpSecurity http,
      SecurityProperties properties,
      ApiTokens tokens,
      DashboardSessions sessions,
      RemoteCalls remote) {
    SecurityProblems problems = new SecurityProblems();
    List<AuthenticationProvider> providers = new ArrayList<>();
    providers.add(new ApiTokenAuthenticationProvider(tokens, properties.oidc().enabled()));
    if (properties.oidc().enabled()) {
      providers.add(OidcAuthentication.provider(properties.oidc(), remote));
    }
    ProviderManager manager = new ProviderManager(providers);

    http.csrf(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .oauth2ResourceServer(
            o ->
                o.authenticationManagerResolver(request -> manager)
                    .authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems))
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .headers(
            h ->
                h.referrerPolicy(r -> r.policy(ReferrerPolicy.NO_REFERRER))
                    .addHeaderWriter(
                        new DelegatingRequestMatcherHeaderWriter(
                            request ->
                                request.getRequestURI().startsWith("/api/")
                                    || request.getRequestURI().startsWith("/actuator/"),
                            new StaticHeadersWriter(
                                "Content-Security-Policy",
                                "default-src 'none'; frame-ancestors 'none'")))
                    .addHeaderWriter(
                        new DelegatingRequestMatcherHeaderWriter(
                            request ->
                                !request.getRequestURI().startsWith("/api/")
                                    && !request.getRequestURI().startsWith("/actuator/")
                                    && !request.getRequestURI().startsWith("/swagger-ui"),
                            new StaticHeadersWriter("Content-Security-Policy", DASHBOARD_CSP))))
        .addFilterBefore(cors(properties), BearerTokenAuthenticationFilter.class)
        .addFilterBefore(
            new DashboardSessionFilter(sessions), BearerTokenAuthenticationFilter.class)
        .addFilterAfter(
            new MutationRateLimitFilter(properties.rateLimit().mutationsPerMinute()),
            AuthorizationFilter.class)
        .authorizeHttpRequests(
            a -> {
              a.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll();
              a.requestMatchers(HttpMethod.GET, DASHBOARD_PAGES).permitAll();
              a.requestMatchers(HttpMethod.POST, V1 + "/session").permitAll();
              a.requestMatchers(
                      HttpMethod.GET,
                      V1 + "/session/options",
                      V1 + "/session/oidc",
                      V1 + "/session/oidc/callback")
                  .permitAll();
              a.requestMatchers(V1 + "/session").authenticated();
              a.requestMatchers(
                      "/actuator/health",
                      "/actuator/health/liveness",
                      "/actuator/health/readiness",
                      "/actuator/info",
                      "/v3/api-docs",
                      "/v3/api-docs/**",
                      "/swagger-ui.html",
                      "/swagger-ui/**",
                      "/error")
                  .permitAll();
              if (properties.metricsPublic()) {
                a.requestMatchers("/actuator/prometheus").permitAll();
              } else {
                a.requestMatchers("/actuator/prometheus").authenticated();
              }
              a.requestMatchers(HttpMethod.GET, V1 + "/whoami").authenticated();
              a.requestMatchers(V1 + "/tokens", V1 + "/tokens/**", V1 + "/audit", V1 + "/settings")
                  .hasRole("ADMIN");
              a.requestMatchers(HttpMethod.GET, V1 + "/rollouts", V1 + "/rollouts/**")
                  .hasAnyRole("VIEWER", "PIPELINE");
              a.requestMatchers(HttpMethod.POST, V1 + "/rollouts").hasRole("PIPELINE");
              a.requestMatchers(V1 + "/rollouts/**").hasRole("OPERATOR");
              // comparing proxies report with a pipeline token, scoped to the plan
              a.requestMatchers(HttpMethod.POST, V1 + "/plans/*/comparisons").hasRole("PIPELINE");
              a.requestMatchers(HttpMethod.GET, V1 + "/plans", V1 + "/plans/**").hasRole("VIEWER");
              a.requestMatchers(V1 + "/plans", V1 + "/plans/**").hasRole("OPERATOR");
              a.requestMatchers(
                      HttpMethod.GET, V1 + "/metric-templates", V1 + "/metric-templates/**")
                  .hasRole("VIEWER");
              a.requestMatchers(V1 + "/metric-templates", V1 + "/metric-templates/**")
                  .hasRole("OPERATOR");
              a.requestMatchers(HttpMethod.POST, V1 + "/judgements").hasRole("OPERATOR");
              a.requestMatchers(
                      HttpMethod.GET,
                      V1 + "/freezes",
                      V1 + "/freezes/**",
                      V1 + "/concurrency-limits",
                      V1 + "/concurrency-limits/**")
                  .hasAnyRole("VIEWER", "PIPELINE");
              a.requestMatchers(HttpMethod.GET, V1 + "/approval-links/*").hasRole("VIEWER");
              a.requestMatchers(
                      HttpMethod.POST,
                      V1 + "/approval-links/*/approve",
                      V1 + "/approval-links/*/reject")
                  .hasRole("OPERATOR");
              a.requestMatchers(HttpMethod.GET, V1 + "/notifications", V1 + "/notifications/**")
                  .hasAnyRole("VIEWER", "PIPELINE");
              a.requestMatchers(HttpMethod.POST, V1 + "/notifications/*/retry").hasRole("OPERATOR");
              a.anyRequest().hasRole("ADMIN");
            });
    return http.build();
  }

  /**
   * Cross-origin browser requests to the API: refused (a 403 problem) unless their origin is in
   * {@code aviary.security.cors.allowed-origins}.
   */
  private static CorsFilter cors(SecurityProperties properties) {
    CorsConfiguration api = new CorsConfiguration();
    api.setAllowedOrigins(properties.cors().allowedOrigins());
    api.setAllowedMethods(List.of("GET", "POST", "PUT", "DELETE"));
    api.setAllowedHeaders(
        List.of("Authorization", "Content-Type", "If-Match", "Idempotency-Key", "Last-Event-ID"));
    api.setExposedHeaders(List.of("ETag", "Location", "Retry-After"));
    api.setMaxAge(Duration.ofHours(1));
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    source.registerCorsConfiguration("/api/**", api);
    CorsFilter filter = new CorsFilter(source);
    filter.setCorsProcessor(
        new DefaultCorsProcessor() {
          @Override
          protected void rejectRequest(ServerHttpResponse response) throws IOException {
            ProblemWriter.write(
                ((ServletServerHttpResponse) response).getServletResponse(),
                403,
                "cors-origin-refused",
                "Cross-origin request refused",
                "This origin may not call the Aviary API; allow it with"
                    + " aviary.security.cors.allowed-origins",
                Map.of());
          }
        });
    return filter;
  }
}
