package dev.aviary.controller.security.web;

import dev.aviary.controller.security.Caller;
import dev.aviary.controller.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/whoami}: who the presented credentials say the caller is. */
@RestController
@Tag(name = "Tokens")
class WhoAmIController {

  @GetMapping(path = "/api/v1/whoami", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "The caller's actor name, roles, plan scope and expiry")
  Map<String, Object> whoami(@AuthenticationPrincipal Caller caller) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("actor", caller.actor());
    body.put("roles", caller.roles().stream().map(Role::wireName).sorted().toList());
    if (caller.scoped()) {
      body.put("plans", caller.plans());
      body.put("planSelector", caller.planSelector());
    }
    body.put("expiresAt", caller.expiresAt() == null ? null : caller.expiresAt().toString());
    return body;
  }
}
