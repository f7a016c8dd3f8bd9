package dev.aviary.controller.security.web;

import dev.aviary.controller.security.AuditLog;
import java.time.Instant;
import java.util.Map;

/**
 * One security-relevant change.
 *
 * @param id ascending; page with {@code after}
 * @param at when
 * @param actor who: token:&lt;name&gt; or oidc:&lt;subject&gt;
 * @param action token.created, token.revoked, token.bootstrapped
 * @param target what it changed, e.g. token:ci-checkout
 * @param detail what else is worth knowing (role, expiry); never a secret
 */
record AuditEntryResponse(
    long id, Instant at, String actor, String action, String target, Map<String, Object> detail) {

  static AuditEntryResponse of(AuditLog.Entry e) {
    return new AuditEntryResponse(e.id(), e.at(), e.actor(), e.action(), e.target(), e.detail());
  }
}
