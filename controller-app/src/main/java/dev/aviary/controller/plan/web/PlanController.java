package dev.aviary.controller.plan.web;

import dev.aviary.controller.plan.PlanDestinations;
import dev.aviary.controller.plan.PlanDocument;
import dev.aviary.controller.plan.PlanService;
import dev.aviary.controller.plan.PlanView;
import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.controller.platform.secrets.SecretSealer;
import dev.aviary.controller.platform.web.ItemsResponse;
import dev.aviary.controller.platform.web.ObjectBody;
import dev.aviary.controller.platform.web.PageResponse;
import dev.aviary.controller.platform.web.Requests;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/plans}: rollout plans, with optimistic concurrency by revision. */
@RestController
@RequestMapping(path = "/api/v1/plans", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Plans", description = "Reusable definitions of how a service is released")
class PlanController {

  private final PlanService plans;
  private final Requests requests;
  private final SecretSealer sealer;

  private final PlanDestinations destinations;

  PlanController(
      PlanService plans, Requests requests, SecretSealer sealer, PlanDestinations destinations) {
    this.plans = plans;
    this.requests = requests;
    this.sealer = sealer;
    this.destinations = destinations;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @ApiResponse(
      responseCode = "201",
      description = "Created; Location names it, ETag is its revision",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = PlanResponse.class)))
  @Operation(
      operationId = "createPlan",
      summary = "Create a plan",
      description = "201 with Location; 409 if the name is taken")
  ResponseEntity<PlanResponse> create(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON_VALUE,
                      schema = @Schema(implementation = PlanDocument.class)))
          @RequestBody
          ObjectBody body) {
    PlanView plan = plans.create(document(body, body.document().path("name").asString("")));
    return ResponseEntity.created(URI.create("/api/v1/plans/" + plan.document().name()))
        .eTag(etag(plan.revision()))
        .body(PlanResponse.of(plan));
  }

  @GetMapping("/{name}")
  @Operation(
      operationId = "getPlan",
      summary = "Read a plan",
      description = "The ETag is the plan's revision")
  ResponseEntity<PlanResponse> get(@PathVariable String name) {
    PlanView plan = plans.get(name);
    return ResponseEntity.ok().eTag(etag(plan.revision())).body(PlanResponse.of(plan));
  }

  @GetMapping
  @Operation(
      operationId = "listPlans",
      summary = "List plans",
      description = "Filter by name prefix and by labels (label=key=value, repeatable)")
  PageResponse<PlanResponse> list(
      @RequestParam(required = false) String namePrefix,
      @RequestParam(name = "label", required = false) List<String> labels,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    Requests.PageRequest paging = requests.page(page, size);
    if (namePrefix != null && !namePrefix.matches("[a-z0-9-]{0,63}")) {
      throw InvalidRequestException.of("namePrefix", "must be lower-case letters, digits and '-'");
    }
    PlanService.PlanPage result =
        plans.list(namePrefix, requests.labels("label", labels), paging.page(), paging.size());
    return PageResponse.of(
        result.items().stream().map(PlanResponse::of).toList(), paging, result.totalItems());
  }

  @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "replacePlan",
      summary = "Replace a plan",
      description = "With If-Match, 412 when the plan changed meanwhile")
  ResponseEntity<PlanResponse> replace(
      @PathVariable String name,
      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON_VALUE,
                      schema = @Schema(implementation = PlanDocument.class)))
          @RequestBody
          ObjectBody body) {
    PlanView plan = plans.replace(name, document(body, name), revision(ifMatch));
    return ResponseEntity.ok().eTag(etag(plan.revision())).body(PlanResponse.of(plan));
  }

  @PostMapping(path = "/{name}/preview", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "previewPlan",
      summary = "The plan as a PUT of this document would store it; nothing is written",
      description =
          "Validated (400 naming every bad field), defaults filled in, plaintext secrets sealed;"
              + " the revision is the one the PUT would make, or the current one when nothing"
              + " would change. What `aviary plan diff -f` compares with the stored plan.")
  PlanResponse preview(
      @PathVariable String name,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON_VALUE,
                      schema = @Schema(implementation = PlanDocument.class)))
          @RequestBody
          ObjectBody body) {
    return PlanResponse.of(plans.preview(name, document(body, name)));
  }

  // No body on success, so any Accept will do: a client that only accepts the error type (as
  // generated clients do for operations whose only documented body is a problem) is served.
  @DeleteMapping(
      path = "/{name}",
      produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
  @ApiResponse(responseCode = "204", description = "Deleted")
  @Operation(
      operationId = "deletePlan",
      summary = "Delete a plan",
      description = "Its revisions stay readable")
  ResponseEntity<Void> delete(
      @PathVariable String name,
      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
    plans.delete(name, revision(ifMatch));
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/{name}/revisions")
  @Operation(operationId = "listPlanRevisions", summary = "A plan's history, newest first")
  ItemsResponse<PlanRevisionResponse> revisions(@PathVariable String name) {
    return new ItemsResponse<>(
        plans.revisions(name).stream().map(PlanRevisionResponse::of).toList());
  }

  @GetMapping("/{name}/revisions/{revision}")
  @Operation(operationId = "getPlanRevision", summary = "One revision of a plan")
  PlanRevisionResponse revision(@PathVariable String name, @PathVariable int revision) {
    return PlanRevisionResponse.of(plans.revision(name, revision));
  }

  /**
   * The submitted document with its {@code {"plaintext"}} secrets sealed for plan {@code name}, and
   * its sealed values checked to belong to it.
   */
  private Map<String, Object> document(ObjectBody body, String name) {
    Set<String> stored =
        plans
            .lookup(name)
            .map(p -> SecretSealer.sealedValues(requests.tree(p.document())))
            .orElse(Set.of());
    Map<String, Object> document = requests.object(sealer.seal(body.document(), name, stored));
    destinations.check(document);
    return document;
  }

  static String etag(int revision) {
    return "\"" + revision + "\"";
  }

  /** Reads {@code If-Match: "3"} (or W/"3"); {@code *} matches any revision. */
  static OptionalLong revision(@Nullable String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
      return OptionalLong.empty();
    }
    String t = ifMatch.trim();
    if (t.startsWith("W/")) {
      t = t.substring(2);
    }
    t = t.replace("\"", "");
    try {
      return OptionalLong.of(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw InvalidRequestException.of(
          "If-Match", "must be a revision ETag as returned by GET, such as \"3\"");
    }
  }
}
