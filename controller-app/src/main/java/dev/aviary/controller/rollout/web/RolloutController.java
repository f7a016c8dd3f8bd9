package dev.aviary.controller.rollout.web;

import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.controller.platform.NotFoundException;
import dev.aviary.controller.platform.PlanAccess;
import dev.aviary.controller.platform.web.ItemsResponse;
import dev.aviary.controller.platform.web.PageResponse;
import dev.aviary.controller.platform.web.Requests;
import dev.aviary.controller.rollout.ParallelRuns;
import dev.aviary.controller.rollout.Phase;
import dev.aviary.controller.rollout.RolloutFilter;
import dev.aviary.controller.rollout.RolloutPage;
import dev.aviary.controller.rollout.RolloutService;
import dev.aviary.controller.rollout.RolloutService.Action;
import dev.aviary.kernel.Durations;
import dev.aviary.kernel.SettingViolation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code /api/v1/rollouts}: start, watch and steer rollouts. */
@RestController
@RequestMapping(path = "/api/v1/rollouts")
@Tag(name = "Rollouts", description = "Releases of a new version through a plan")
class RolloutController {

  private static final Duration MAX_WAIT = Duration.ofMinutes(30);
  private static final Duration STREAM_TIMEOUT = Duration.ofHours(1);

  private final RolloutService rollouts;
  private final RolloutWatch watch;
  private final Requests requests;
  private final PlanAccess access;
  private final ParallelRuns parallelRuns;

  RolloutController(
      RolloutService rollouts,
      RolloutWatch watch,
      Requests requests,
      PlanAccess access,
      ParallelRuns parallelRuns) {
    this.parallelRuns = parallelRuns;
    this.rollouts = rollouts;
    this.watch = watch;
    this.requests = requests;
    this.access = access;
  }

  /** The rollout exists and the caller may see it (a scoped pipeline token: its plans only). */
  private void visible(UUID id) {
    access.check(rollouts.planOf(id).orElseThrow(() -> new NotFoundException("no rollout " + id)));
  }

  @PostMapping(
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @ApiResponse(
      responseCode = "201",
      description = "Started; Location names it",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = RolloutResponse.class)))
  @ApiResponse(
      responseCode = "200",
      description = "Started earlier by a request with the same Idempotency-Key",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = RolloutResponse.class)))
  @Operation(
      operationId = "startRollout",
      summary = "Start a rollout",
      description =
          "201 + Location; the same Idempotency-Key returns the same rollout (200); 409 if the plan has an active rollout")
  ResponseEntity<RolloutResponse> start(
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
      @RequestBody StartRolloutRequest request) {
    access.check(request.plan());
    RolloutService.Started started = rollouts.start(request.toStart(), idempotencyKey);
    RolloutResponse body = RolloutResponse.of(started.rollout());
    URI location = URI.create("/api/v1/rollouts/" + body.id());
    return started.created()
        ? ResponseEntity.created(location).body(body)
        : ResponseEntity.ok().location(location).body(body);
  }

  @GetMapping(path = "/next-slot", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "nextSlot",
      summary = "Where a plan's next release goes",
      description =
          "The router's server group (canary or stable) to deploy the new version to before"
              + " starting its rollout: with a router that alternates, the group the last promoted"
              + " release did not run on")
  NextSlotResponse nextSlot(@RequestParam String plan) {
    access.check(plan);
    RolloutService.NextSlot next = rollouts.nextSlot(plan);
    return new NextSlotResponse(next.plan(), next.slot(), next.live());
  }

  @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "getRollout",
      summary = "Read a rollout",
      description =
          "With wait=terminal, answers once the rollout has finished or timeout (default 10m, at most 30m) has passed")
  DeferredResult<ResponseEntity<RolloutResponse>> get(
      @PathVariable UUID id,
      @RequestParam(required = false) String wait,
      @RequestParam(required = false) String timeout) {
    visible(id);
    RolloutResponse now =
        RolloutResponse.of(rollouts.get(id))
            .with(parallelRuns.state(id).map(RolloutResponse.ParallelRun::of).orElse(null));
    if (wait == null) {
      DeferredResult<ResponseEntity<RolloutResponse>> done = new DeferredResult<>();
      done.setResult(ResponseEntity.ok(now));
      return done;
    }
    if (!wait.equals("terminal")) {
      throw InvalidRequestException.of("wait", "must be 'terminal'");
    }
    Duration limit =
        timeout == null ? Duration.ofMinutes(10) : Durations.parse(timeout).orElse(null);
    if (limit == null || limit.isNegative() || limit.isZero() || limit.compareTo(MAX_WAIT) > 0) {
      throw InvalidRequestException.of(
          "timeout", "must be a duration up to 30m, such as 90s or 10m");
    }
    if (now.phase().terminal()) {
      DeferredResult<ResponseEntity<RolloutResponse>> done = new DeferredResult<>();
      done.setResult(ResponseEntity.ok(now));
      return done;
    }
    return watch.awaitTerminal(id, limit);
  }

  @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "listRollouts",
      summary = "List rollouts, newest first",
      description =
          "Filter by plan, phase, the canary's version and the plan's labels (label=key=value,"
              + " repeatable; all must match)")
  PageResponse<RolloutResponse> list(
      @RequestParam(required = false) String plan,
      @RequestParam(required = false) String phase,
      @RequestParam(required = false) String version,
      @RequestParam(name = "label", required = false) List<String> label,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    List<SettingViolation> bad = new ArrayList<>();
    Requests.PageRequest paging = requests.page(page, size);
    @Nullable Phase wanted = null;
    if (phase != null && !phase.isBlank()) {
      try {
        wanted = Phase.valueOf(phase.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        bad.add(new SettingViolation("phase", "must be one of " + List.of(Phase.values())));
      }
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (String l : label == null ? List.<String>of() : label) {
      int eq = l.indexOf('=');
      if (eq <= 0) {
        bad.add(new SettingViolation("label", "'" + l + "' is not key=value"));
      } else {
        labels.put(l.substring(0, eq), l.substring(eq + 1));
      }
    }
    if (!bad.isEmpty()) {
      throw new InvalidRequestException(bad);
    }
    RolloutFilter filter =
        new RolloutFilter(blankToNull(plan), wanted, blankToNull(version), labels);
    RolloutPage result = rollouts.list(filter, access.visiblePlans(), paging.page(), paging.size());
    return PageResponse.of(
        result.items().stream().map(RolloutResponse::of).toList(), paging, result.totalItems());
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  @PostMapping(path = "/{id}/pause", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "pauseRollout",
      summary = "Pause: hold at the current weight (analysis goes on)")
  RolloutResponse pause(@PathVariable UUID id) {
    return RolloutResponse.of(rollouts.act(id, Action.PAUSE));
  }

  @PostMapping(path = "/{id}/resume", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "resumeRollout",
      summary = "Resume a paused rollout; a pause step counts as done")
  RolloutResponse resume(@PathVariable UUID id) {
    return RolloutResponse.of(rollouts.act(id, Action.RESUME));
  }

  @PostMapping(path = "/{id}/promote", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "promoteRollout",
      summary = "Promote: skip the current step; with full=true skip every remaining step")
  RolloutResponse promote(
      @PathVariable UUID id, @RequestParam(defaultValue = "false") boolean full) {
    return RolloutResponse.of(rollouts.act(id, full ? Action.PROMOTE_FULL : Action.PROMOTE));
  }

  @PostMapping(path = "/{id}/approve", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "approveRollout",
      summary = "Approve the approval step the rollout waits in; it goes on",
      description =
          "Only a caller the step allows (its roles, its approvers, not the starter if it says"
              + " so) may answer: 403 otherwise; 409 if the rollout does not wait for an approval."
              + " The answer, its caller and reason are a rollout event and an audit entry")
  RolloutResponse approve(
      @PathVariable UUID id,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false)
          @RequestBody(required = false)
          @Nullable AnswerRequest answer) {
    visible(id);
    return RolloutResponse.of(rollouts.answer(id, true, answer == null ? null : answer.reason()));
  }

  @PostMapping(
      path = "/{id}/reject",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "rejectRollout",
      summary = "Reject the approval step the rollout waits in; it rolls back",
      description = "The same callers as approve; a reason is required")
  RolloutResponse reject(@PathVariable UUID id, @RequestBody AnswerRequest answer) {
    visible(id);
    String reason = answer.reason();
    if (reason == null) {
      throw InvalidRequestException.of("reason", "is required to reject: say why");
    }
    return RolloutResponse.of(rollouts.answer(id, false, reason));
  }

  @PostMapping(path = "/{id}/abort", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "abortRollout", summary = "Abort: all traffic back to stable at once")
  RolloutResponse abort(@PathVariable UUID id) {
    return RolloutResponse.of(rollouts.act(id, Action.ABORT));
  }

  @PostMapping(path = "/{id}/retry", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "retryRollout",
      summary = "Retry a rolled-back, aborted or failed rollout from its first step")
  RolloutResponse retry(@PathVariable UUID id) {
    return RolloutResponse.of(rollouts.act(id, Action.RETRY));
  }

  @GetMapping(path = "/{id}/events", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "listRolloutEvents",
      summary = "The audit trail: transitions, weight changes, actions, analyses")
  ItemsResponse<RolloutEventResponse> events(
      @PathVariable UUID id,
      @RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "500") int limit) {
    visible(id);
    return new ItemsResponse<>(
        rollouts.events(id, after, bounded(limit)).stream()
            .map(e -> RolloutEventResponse.of(e, null))
            .toList());
  }

  @GetMapping(path = "/{id}/events/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @ApiResponse(
      responseCode = "200",
      description =
          "Server-sent events named after their type (transition, weight, step, analysis, ...),"
              + " each with the event and the rollout's state; a last event named end carries the"
              + " final state",
      content =
          @Content(
              mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
              schema = @Schema(implementation = RolloutEventResponse.class)))
  @Operation(
      operationId = "streamRolloutEvents",
      summary = "The audit trail as server-sent events; ends after the rollout finishes",
      description = "Resume with Last-Event-ID or after")
  SseEmitter stream(
      @PathVariable UUID id,
      @RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId,
      @RequestParam(defaultValue = "0") long after) {
    visible(id);
    return watch.stream(id, lastEventId != null ? lastEventId : after, STREAM_TIMEOUT);
  }

  @GetMapping(path = "/changes", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @ApiResponse(
      responseCode = "200",
      description =
          "Server-sent events named change, one for every event of every rollout the caller may"
              + " see, from the moment of the request on; a comment line every 15 s keeps idle"
              + " connections open",
      content =
          @Content(
              mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
              schema = @Schema(implementation = RolloutService.Change.class)))
  @Operation(
      operationId = "streamRolloutChanges",
      summary = "A signal for live lists: which rollout just changed",
      description =
          "Each event names the rollout, its plan and the event type; read the rollout or the"
              + " list again to see the change. Not a log: nothing before the request is replayed")
  SseEmitter changes() {
    return watch.changes(access.visiblePlans(), STREAM_TIMEOUT);
  }

  @GetMapping(path = "/{id}/analyses", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "listRolloutAnalyses",
      summary = "Every analysis tick's measurement: values, classifications, score, verdict")
  ItemsResponse<AnalysisResponse> analyses(
      @PathVariable UUID id,
      @RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "100") int limit) {
    visible(id);
    return new ItemsResponse<>(
        rollouts.analyses(id, after, bounded(limit)).stream().map(AnalysisResponse::of).toList());
  }

  private static int bounded(int limit) {
    if (limit < 1 || limit > 1000) {
      throw InvalidRequestException.of("limit", "must be between 1 and 1000");
    }
    return limit;
  }
}
