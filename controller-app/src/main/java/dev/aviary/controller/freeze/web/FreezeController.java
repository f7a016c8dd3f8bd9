package dev.aviary.controller.freeze.web;

import dev.aviary.controller.freeze.Freeze;
import dev.aviary.controller.freeze.Freezes;
import dev.aviary.controller.platform.web.ItemsResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
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

/** {@code /api/v1/freezes}: declare, read and lift release freezes. */
@RestController
@RequestMapping(path = "/api/v1/freezes")
@Tag(name = "Freezes", description = "Times when plans may not raise traffic")
class FreezeController {

  private final Freezes freezes;
  private final Clock clock;

  FreezeController(Freezes freezes, Clock clock) {
    this.freezes = freezes;
    this.clock = clock;
  }

  @PostMapping(
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "declareFreeze",
      summary = "Declare a freeze: the plans it covers hold their weight until it ends",
      description =
          "Admins only. Rollouts of covered plans never raise traffic while it is in force (they"
              + " still roll back on bad metrics) and say why in their status")
  ResponseEntity<FreezeResponse> declare(@RequestBody FreezeRequest request) {
    Instant now = clock.instant();
    Instant from = request.from() == null ? now : request.from();
    Freeze f = freezes.declare(request.reason(), request.labels(), from, request.end(from));
    return ResponseEntity.created(URI.create("/api/v1/freezes/" + f.id()))
        .body(FreezeResponse.of(f, clock.instant()));
  }

  @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "listFreezes",
      summary = "Freezes in force or to come, by start; with all=true every freeze, newest first")
  ItemsResponse<FreezeResponse> list(@RequestParam(defaultValue = "false") boolean all) {
    Instant now = clock.instant();
    return new ItemsResponse<>(
        freezes.list(all).stream().map(f -> FreezeResponse.of(f, now)).toList());
  }

  @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "getFreeze", summary = "One freeze")
  FreezeResponse get(@PathVariable UUID id) {
    return FreezeResponse.of(freezes.get(id), clock.instant());
  }

  @DeleteMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "liftFreeze",
      summary = "Lift a freeze before its end; the rollouts it held go on",
      description = "Admins only; 409 when it was lifted or has ended already. Its record stays")
  FreezeResponse lift(@PathVariable UUID id) {
    return FreezeResponse.of(freezes.lift(id), clock.instant());
  }
}
