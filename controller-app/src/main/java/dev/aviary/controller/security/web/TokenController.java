package dev.aviary.controller.security.web;

import dev.aviary.controller.platform.Actors;
import dev.aviary.controller.platform.NotFoundException;
import dev.aviary.controller.platform.web.ItemsResponse;
import dev.aviary.controller.platform.web.ObjectBody;
import dev.aviary.controller.platform.web.Requests;
import dev.aviary.controller.security.ApiTokens;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
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
  @ApiResponse(
      responseCode = "201",
      description = "Issued; the token is in this answer and never again",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = TokenResponse.class)))
  @Operation(
      operationId = "issueToken",
      summary = "Issue a token",
      description =
          "201; the token is in the response this once and never again. Fields: name, role"
              + " (viewer|operator|pipeline|admin), description, expiresIn (default 90d), and for"
              + " pipeline tokens plans and planSelector")
  ResponseEntity<TokenResponse> issue(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON_VALUE,
                      schema = @Schema(implementation = IssueTokenRequest.class)))
          @RequestBody
          ObjectBody body) {
    ApiTokens.Issued issued = tokens.issue(requests.object(body.document()), actors.current());
    return ResponseEntity.created(URI.create("/api/v1/tokens/" + issued.view().name()))
        .header("Cache-Control", "no-store")
        .body(TokenResponse.withSecret(issued.view(), issued.token()));
  }

  @GetMapping
  @Operation(operationId = "listTokens", summary = "List tokens (never their values)")
  ItemsResponse<TokenResponse> list(@RequestParam(defaultValue = "false") boolean includeRevoked) {
    return new ItemsResponse<>(
        tokens.list(includeRevoked).stream().map(TokenResponse::of).toList());
  }

  @GetMapping("/{name}")
  @Operation(operationId = "getToken", summary = "Read the active token of this name")
  TokenResponse get(@PathVariable String name) {
    return tokens
        .find(name)
        .map(TokenResponse::of)
        .orElseThrow(() -> new NotFoundException("no active token named '" + name + "'"));
  }

  @DeleteMapping("/{name}")
  @Operation(
      operationId = "revokeToken",
      summary = "Revoke the active token of this name; it stops working at once")
  TokenResponse revoke(@PathVariable String name) {
    return TokenResponse.of(tokens.revoke(name, actors.current()));
  }
}
