package dev.aviary.controller.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerTest {

  @Test
  void anUnscopedCallerSeesEveryPlan() {
    Caller c = new Caller("token:ci", Set.of(Role.PIPELINE), List.of(), Map.of(), null);
    assertThat(c.scoped()).isFalse();
    assertThat(c.permits("anything", Map.of())).isTrue();
  }

  @Test
  void aScopedCallerSeesListedPlansAndPlansCarryingEverySelectedLabel() {
    Caller c =
        new Caller(
            "token:ci",
            Set.of(Role.PIPELINE),
            List.of("checkout"),
            Map.of("team", "payments", "tier", "1"),
            null);
    assertThat(c.permits("checkout", Map.of())).isTrue();
    assertThat(c.permits("ledger", Map.of("team", "payments", "tier", "1", "x", "y"))).isTrue();
    assertThat(c.permits("ledger", Map.of("team", "payments"))).isFalse();
    assertThat(c.permits("search", Map.of("team", "search", "tier", "1"))).isFalse();
  }

  @Test
  void claimsAreFoundByDottedPath() {
    Map<String, Object> claims =
        Map.of("realm_access", Map.of("roles", List.of("operator")), "sub", "alice");
    assertThat(OidcAuthentication.claim(claims, "realm_access.roles"))
        .isEqualTo(List.of("operator"));
    assertThat(OidcAuthentication.claim(claims, "sub")).isEqualTo("alice");
    assertThat(OidcAuthentication.claim(claims, "realm_access.missing.deeper")).isNull();
  }
}
