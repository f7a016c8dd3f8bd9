package dev.aviary.controller.security.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Who the presented credentials say the caller is.
 *
 * @param actor token:&lt;name&gt; or oidc:&lt;subject&gt;, as events and the audit log name it
 * @param roles the caller's roles
 * @param plans a scoped pipeline token's plans; absent when unscoped
 * @param planSelector a scoped pipeline token's label selector; absent when unscoped
 * @param expiresAt when the credentials stop working; null when they do not expire
 */
record WhoAmIResponse(
    String actor,
    List<String> roles,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<String> plans,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Map<String, String> planSelector,
    @Nullable Instant expiresAt) {}
