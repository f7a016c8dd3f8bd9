package dev.aviary.controller.plan.web;

import dev.aviary.controller.plan.MetricTemplateService;
import dev.aviary.controller.plan.PlanDestinations;
import dev.aviary.controller.platform.web.ItemsResponse;
import dev.aviary.controller.platform.web.ObjectBody;
import dev.aviary.controller.platform.web.Requests;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Map;
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
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/v1/metric-templates}: metric templates of one's own, named by plans' metrics ({@code
 * "template": "checkout-errors"}), versioned like plans.
 */
@RestController
@RequestMapping(path = "/api/v1/metric-templates", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(
    name = "Metric templates",
    description = "A metric's queries and provider, written once and named by plans")
class MetricTemplateController {

  private final MetricTemplateService templates;
  private final Requests requests;
  private final PlanDestinations destinations;
  private final JsonMapper json;

  MetricTemplateController(
      MetricTemplateService templates,
      Requests requests,
      PlanDestinations destinations,
      JsonMapper json) {
    this.templates = templates;
    this.requests = requests;
    this.destinations = destinations;
    this.json = json;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @ApiResponse(
      responseCode = "201",
      description = "Created; Location names it, ETag is its revision",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = MetricTemplateResponse.class)))
  @Operation(
      operationId = "createMetricTemplate",
      summary = "Create a metric template",
      description = "201 with Location; 409 if the name is taken")
  ResponseEntity<MetricTemplateResponse> create(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON_VALUE,
                      schema = @Schema(implementation = MetricTemplateDocument.class)))
          @RequestBody
          ObjectBody body) {
    MetricTemplateService.View view = templates.create(document(body));
    MetricTemplateResponse response = response(view);
    return ResponseEntity.created(
            URI.create("/api/v1/metric-templates/" + response.template().name()))
        .eTag(PlanController.etag(view.revision()))
        .body(response);
  }

  @GetMapping("/{name}")
  @Operation(
      operationId = "getMetricTemplate",
      summary = "Read a metric template",
      description = "The ETag is its revision; usedBy lists the plans that use it")
  ResponseEntity<MetricTemplateResponse> get(@PathVariable String name) {
    MetricTemplateService.View view = templates.get(name);
    return ResponseEntity.ok().eTag(PlanController.etag(view.revision())).body(response(view));
  }

  @GetMapping
  @Operation(operationId = "listMetricTemplates", summary = "Every metric template, by name")
  ItemsResponse<MetricTemplateResponse> list() {
    return new ItemsResponse<>(templates.list().stream().map(this::response).toList());
  }

  @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "replaceMetricTemplate",
      summary = "Replace a metric template",
      description =
          "With If-Match, 412 when it changed meanwhile; 409, with nothing changed, when a plan"
              + " that uses it would no longer validate")
  ResponseEntity<MetricTemplateResponse> replace(
      @PathVariable String name,
      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON_VALUE,
                      schema = @Schema(implementation = MetricTemplateDocument.class)))
          @RequestBody
          ObjectBody body) {
    MetricTemplateService.View view =
        templates.replace(name, document(body), PlanController.revision(ifMatch));
    return ResponseEntity.ok().eTag(PlanController.etag(view.revision())).body(response(view));
  }

  @DeleteMapping(
      path = "/{name}",
      produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
  @ApiResponse(responseCode = "204", description = "Deleted")
  @Operation(
      operationId = "deleteMetricTemplate",
      summary = "Delete a metric template",
      description = "409 while a plan uses it; its revisions stay readable")
  ResponseEntity<Void> delete(
      @PathVariable String name,
      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch) {
    templates.delete(name, PlanController.revision(ifMatch));
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/{name}/revisions")
  @Operation(
      operationId = "listMetricTemplateRevisions",
      summary = "A metric template's history, newest first")
  ItemsResponse<MetricTemplateRevisionResponse> revisions(@PathVariable String name) {
    return new ItemsResponse<>(
        templates.revisions(name).stream().map(this::revisionResponse).toList());
  }

  @GetMapping("/{name}/revisions/{revision}")
  @Operation(operationId = "getMetricTemplateRevision", summary = "One revision of a template")
  MetricTemplateRevisionResponse revision(@PathVariable String name, @PathVariable int revision) {
    return revisionResponse(templates.revision(name, revision));
  }

  /** The submitted document, its destinations checked against the outbound policy. */
  private Map<String, Object> document(ObjectBody body) {
    Map<String, Object> document = requests.object(body.document());
    destinations.check(document);
    return document;
  }

  private MetricTemplateResponse response(MetricTemplateService.View v) {
    return new MetricTemplateResponse(
        json.convertValue(v.document(), MetricTemplateDocument.class),
        v.revision(),
        v.createdAt(),
        v.updatedAt(),
        v.usedBy());
  }

  private MetricTemplateRevisionResponse revisionResponse(MetricTemplateService.RevisionView r) {
    Map<String, Object> doc = r.document();
    return new MetricTemplateRevisionResponse(
        r.revision(),
        r.change(),
        r.actor(),
        r.at(),
        doc == null ? null : json.convertValue(doc, MetricTemplateDocument.class));
  }
}
