/**
 * Security: authentication (Aviary API tokens, OIDC JWTs), roles, pipeline plan scopes, the
 * bootstrap token, the audit log, rate limits, CORS and headers. Exposes {@link
 * dev.aviary.controller.security.ApiTokens} and {@link dev.aviary.controller.security.AuditLog},
 * and implements the platform's {@code Actors} and {@code PlanAccess}. Its {@code web} part serves
 * tokens, audit, settings and whoami.
 */
@ApplicationModule(
    displayName = "Security",
    allowedDependencies = {"platform", "platform :: web", "platform :: secrets", "plan"})
@NullMarked
package dev.aviary.controller.security;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
