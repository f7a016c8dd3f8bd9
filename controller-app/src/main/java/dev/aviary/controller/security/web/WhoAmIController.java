package dev.aviary.controller.security.web;

import dev.aviary.controller.security.Caller;
import dev.aviary.controller.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/whoami}: who the presented credentials say the caller is. */
@RestController
@Tag(name = "Tokens")
class WhoAmIController {

  @GetMapping(path = "/api/v1/whoami", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "whoAmI",
      summary = "The caller's actor name, roles, plan scope and expiry")
  WhoAmIResponse whoami(@AuthenticationPrincipal Caller caller) {
    return new WhoAmIResponse(
        caller.actor(),
        caller.roles().stream().map(Role::wireName).sorted().toList(),
        caller.scoped() ? caller.plans() : null,
        caller.scoped() ? caller.planSelector() : null,
        caller.expiresAt());
  }
}
