package dev.aviary.controller.parallelrun.web;

import dev.aviary.controller.parallelrun.ComparisonService;
import dev.aviary.controller.platform.NotFoundException;
import dev.aviary.controller.platform.PlanAccess;
import dev.aviary.controller.rollout.RolloutService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What comparing proxies report, and a rollout's comparisons. */
@RestController
@Tag(
    name = "Parallel runs",
    description = "Comparisons of a candidate's answers with the trusted version's")
class ComparisonController {

  private final ComparisonService comparisons;
  private final RolloutService rollouts;
  private final PlanAccess access;

  ComparisonController(ComparisonService comparisons, RolloutService rollouts, PlanAccess access) {
    this.comparisons = comparisons;
    this.rollouts = rollouts;
    this.access = access;
  }

  @PostMapping(
      path = "/api/v1/plans/{name}/comparisons",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "reportComparisons",
      summary = "Report comparisons (comparing proxies and experiments)",
      description =
          "Stores the counts for the plan's active rollout when the report names it, once per"
              + " (source, sequence); answers the rollout to name next time and the share of"
              + " requests to compare now (0 while no rollout is in or past a parallel-run step)")
  ComparisonAnswerResponse report(
      @PathVariable String name, @RequestBody ComparisonReportRequest request) {
    access.check(name);
    ComparisonService.Answer a = comparisons.accept(name, request.toReport());
    return new ComparisonAnswerResponse(
        a.rolloutId() == null ? null : a.rolloutId().toString(), a.sample(), a.stored());
  }

  @GetMapping(
      path = "/api/v1/rollouts/{id}/comparisons",
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "getComparisons",
      summary = "A rollout's parallel run",
      description =
          "Comparisons per endpoint and field path, what is noise, the gate's decision while the"
              + " parallel-run step runs, and the latest redacted samples of mismatches")
  ComparisonsResponse get(@PathVariable UUID id, @RequestParam(defaultValue = "20") int samples) {
    access.check(rollouts.planOf(id).orElseThrow(() -> new NotFoundException("no rollout " + id)));
    return ComparisonsResponse.of(comparisons.comparisons(id, Math.max(0, Math.min(samples, 100))));
  }
}
