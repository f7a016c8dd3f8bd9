package dev.aviary.controller.freeze.web;

import dev.aviary.controller.freeze.ConcurrencyLimit;
import dev.aviary.controller.freeze.ConcurrencyLimits;
import dev.aviary.controller.platform.web.ItemsResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/concurrency-limits}: at most so many rollouts at once of labelled plans. */
@RestController
@RequestMapping(path = "/api/v1/concurrency-limits")
@Tag(
    name = "Concurrency limits",
    description = "At most so many rollouts at once of the plans carrying some labels")
class LimitController {

  private final ConcurrencyLimits limits;

  LimitController(ConcurrencyLimits limits) {
    this.limits = limits;
  }

  /**
   * A concurrency limit.
   *
   * @param id the limit
   * @param labels the labels a plan must all carry to count
   * @param maxActive how many of their rollouts may be under way at once
   * @param reason why
   * @param createdBy who set it
   * @param createdAt when
   */
  @Schema(name = "ConcurrencyLimit")
  record LimitResponse(
      UUID id,
      Map<String, String> labels,
      int maxActive,
      String reason,
      String createdBy,
      Instant createdAt) {
    static LimitResponse of(ConcurrencyLimit l) {
      return new LimitResponse(
          l.id(), l.labels(), l.maxActive(), l.reason(), l.createdBy(), l.createdAt());
    }
  }

  @PostMapping(
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "setConcurrencyLimit",
      summary = "Set a limit: rollouts past it wait in PENDING, at 0 %, oldest first",
      description = "Admins only")
  ResponseEntity<LimitResponse> set(@RequestBody LimitRequest request) {
    ConcurrencyLimit l = limits.set(request.labels(), request.maxActive(), request.reason());
    return ResponseEntity.created(URI.create("/api/v1/concurrency-limits/" + l.id()))
        .body(LimitResponse.of(l));
  }

  @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "listConcurrencyLimits", summary = "Every limit, oldest first")
  ItemsResponse<LimitResponse> list() {
    return new ItemsResponse<>(limits.list().stream().map(LimitResponse::of).toList());
  }

  @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "getConcurrencyLimit", summary = "One limit")
  LimitResponse get(@PathVariable UUID id) {
    return LimitResponse.of(limits.get(id));
  }

  @DeleteMapping(path = "/{id}")
  @Operation(
      operationId = "removeConcurrencyLimit",
      summary = "Remove a limit; rollouts waiting for it begin at their next tick",
      description = "Admins only")
  ResponseEntity<Void> remove(@PathVariable UUID id) {
    limits.remove(id);
    return ResponseEntity.noContent().build();
  }
}
