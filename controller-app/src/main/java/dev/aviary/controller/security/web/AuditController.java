package dev.aviary.controller.security.web;

import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.controller.platform.web.ItemsResponse;
import dev.aviary.controller.security.AuditLog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/audit}: tokens issued, revoked and bootstrapped (admin only). */
@RestController
@Tag(name = "Audit", description = "Security-relevant changes; admin only")
class AuditController {

  private final AuditLog audit;

  AuditController(AuditLog audit) {
    this.audit = audit;
  }

  @GetMapping(path = "/api/v1/audit", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "listAudit",
      summary = "Audit entries, oldest first; page with after=<last id>")
  ItemsResponse<AuditEntryResponse> list(
      @RequestParam(required = false) String actor,
      @RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "100") int limit) {
    if (limit < 1 || limit > 1000) {
      throw InvalidRequestException.of("limit", "must be between 1 and 1000");
    }
    return new ItemsResponse<>(
        audit.list(actor, after, limit).stream().map(AuditEntryResponse::of).toList());
  }
}
