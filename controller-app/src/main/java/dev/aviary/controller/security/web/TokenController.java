package dev.aviary.controller.security.web;

import dev.aviary.controller.platform.Actors;
import dev.aviary.controller.platform.web.NotFoundException;
import dev.aviary.controller.platform.web.Requests;
import dev.aviary.controller.security.ApiTokens;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/tokens}: issue, list and revoke API tokens (admin only). */
@RestController
@RequestMapping(path = "/api/v1/tokens", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Tokens", description = "API tokens issued by Aviary; admin only")
class TokenController {

  private final ApiTokens tokens;
  private final Requests requests;
  private final Actors actors;

  TokenController(ApiTokens tokens, Requests requests, Actors actors) {
    this.tokens = tokens;
    this.requests = requests;
    this.actors = actors;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Issue a token",
      description =
          "201; the token is in the response this once and never again. Fields: name, role"
              + " (viewer|operator|pipeline|admin), description, expiresIn (default 90d), and for"
              + " pipeline tokens plans and planSelector")
  ResponseEntity<Map<String, Object>> issue(@RequestBody JsonNode body) {
    ApiTokens.Issued issued = tokens.issue(requests.object(body), actors.current());
    Map<String, Object> response = new LinkedHashMap<>(issued.view().body());
    response.put("token", issued.token());
    return ResponseEntity.created(URI.create("/api/v1/tokens/" + issued.view().name()))
        .header("Cache-Control", "no-store")
        .body(response);
  }

  @GetMapping
  @Operation(summary = "List tokens (never their values)")
  Map<String, Object> list(@RequestParam(defaultValue = "false") boolean includeRevoked) {
    return Map.of(
        "items", tokens.list(includeRevoked).stream().map(ApiTokens.TokenView::body).toList());
  }

  @GetMapping("/{name}")
  @Operation(summary = "Read the active token of this name")
  Map<String, Object> get(@PathVariable String name) {
    return tokens
        .find(name)
        .map(ApiTokens.TokenView::body)
        .orElseThrow(() -> new NotFoundException("no active token named '" + name + "'"));
  }

  @DeleteMapping("/{name}")
  @Operation(summary = "Revoke the active token of this name; it stops working at once")
  Map<String, Object> revoke(@PathVariable String name) {
    return tokens.revoke(name, actors.current()).body();
  }
}
