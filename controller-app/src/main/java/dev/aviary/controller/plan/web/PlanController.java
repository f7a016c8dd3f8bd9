package dev.aviary.controller.plan.web;

import dev.aviary.controller.plan.PlanRevisionView;
import dev.aviary.controller.plan.PlanService;
import dev.aviary.controller.plan.PlanView;
import dev.aviary.controller.platform.secrets.SecretSealer;
import dev.aviary.controller.platform.web.InvalidRequestException;
import dev.aviary.controller.platform.web.Requests;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/plans}: rollout plans, with optimistic concurrency by revision. */
@RestController
@RequestMapping(path = "/api/v1/plans", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Plans", description = "Reusable definitions of how a service is released")
class PlanController {

  private final PlanService plans;
  private final Requests requests;
  private final SecretSealer sealer;

  PlanController(PlanService plans, Requests requests, SecretSealer sealer) {
    this.plans = plans;
    this.requests = requests;
    this.sealer = sealer;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Create a plan", description = "201 with Location; 409 if the name is taken")
  ResponseEntity<Map<String, Object>> create(@RequestBody JsonNode body) {
    PlanView plan = plans.create(requests.object(sealer.seal(body)));
    return ResponseEntity.created(URI.create("/api/v1/plans/" + plan.spec().name()))
        .eTag(etag(plan.revision()))
        .body(render(plan));
  }

  @GetMapping("/{name}")
  @Operation(summary = "Read a plan", description = "The ETag is the plan's revision")
  ResponseEntity<Map<String, Object>> get(@PathVariable String name) {
    PlanView plan = plans.get(name);
    return ResponseEntity.ok().eTag(etag(plan.revision())).body(render(plan));
  }

  @GetMapping
  @Operation(
      summary = "List plans",
      description = "Filter by name prefix and by labels (label=key=value, repeatable)")
  Map<String, Object> list(
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
    return requests.pageBody(
        result.items().stream().map(PlanController::render).toList(), paging, result.totalItems());
  }

  @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Replace a plan",
      description = "With If-Match, 412 when the plan changed meanwhile")
  ResponseEntity<Map<String, Object>> replace(
      @PathVariable String name,
      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
      @RequestBody JsonNode body) {
    PlanView plan = plans.replace(name, requests.object(sealer.seal(body)), revision(ifMatch));
    return ResponseEntity.ok().eTag(etag(plan.revision())).body(render(plan));
  }

  @DeleteMapping("/{name}")
  @Operation(summary = "Delete a plan", description = "Its revisions stay readable")
  ResponseEntity<Void> delete(
      @PathVariable String name,
      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
    plans.delete(name, revision(ifMatch));
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/{name}/revisions")
  @Operation(summary = "A plan's history, newest first")
  Map<String, Object> revisions(@PathVariable String name) {
    return Map.of("items", plans.revisions(name).stream().map(PlanController::render).toList());
  }

  @GetMapping("/{name}/revisions/{revision}")
  @Operation(summary = "One revision of a plan")
  Map<String, Object> revision(@PathVariable String name, @PathVariable int revision) {
    return render(plans.revision(name, revision));
  }

  static Map<String, Object> render(PlanView plan) {
    Map<String, Object> body = new LinkedHashMap<>(plan.document());
    body.put("revision", plan.revision());
    body.put("createdAt", plan.createdAt().toString());
    body.put("updatedAt", plan.updatedAt().toString());
    return body;
  }

  private static Map<String, Object> render(PlanRevisionView r) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("revision", r.revision());
    body.put("change", r.change());
    body.put("actor", r.actor());
    body.put("at", r.at().toString());
    body.put("plan", r.document());
    return body;
  }

  private static String etag(int revision) {
    return "\"" + revision + "\"";
  }

  /** Reads {@code If-Match: "3"} (or W/"3"); {@code *} matches any revision. */
  private static OptionalLong revision(String ifMatch) {
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
