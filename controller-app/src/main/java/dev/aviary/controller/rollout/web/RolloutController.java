package dev.aviary.controller.rollout.web;

import dev.aviary.controller.platform.PlanAccess;
import dev.aviary.controller.platform.web.InvalidRequestException;
import dev.aviary.controller.platform.web.NotFoundException;
import dev.aviary.controller.platform.web.Requests;
import dev.aviary.controller.rollout.Phase;
import dev.aviary.controller.rollout.RolloutService;
import dev.aviary.controller.rollout.RolloutService.Action;
import dev.aviary.kernel.Durations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
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
import tools.jackson.databind.JsonNode;

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

  RolloutController(
      RolloutService rollouts, RolloutWatch watch, Requests requests, PlanAccess access) {
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
  @Operation(
      summary = "Start a rollout",
      description =
          "201 + Location; the same Idempotency-Key returns the same rollout (200); 409 if the plan has an active rollout")
  ResponseEntity<Map<String, Object>> start(
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
      @RequestBody JsonNode body) {
    Map<String, Object> request = requests.object(body);
    if (request.get("plan") instanceof String plan) {
      access.check(plan);
    }
    RolloutService.Started started = rollouts.start(request, idempotencyKey);
    URI location = URI.create("/api/v1/rollouts/" + started.id());
    return started.created()
        ? ResponseEntity.created(location).body(started.body())
        : ResponseEntity.ok().location(location).body(started.body());
  }

  @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Read a rollout",
      description =
          "With wait=terminal, answers once the rollout has finished or timeout (default 10m, at most 30m) has passed")
  DeferredResult<ResponseEntity<Map<String, Object>>> get(
      @PathVariable UUID id,
      @RequestParam(required = false) String wait,
      @RequestParam(required = false) String timeout) {
    visible(id);
    Map<String, Object> now = rollouts.get(id);
    if (wait == null) {
      DeferredResult<ResponseEntity<Map<String, Object>>> done = new DeferredResult<>();
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
    if (Phase.valueOf((String) now.get("phase")).terminal()) {
      DeferredResult<ResponseEntity<Map<String, Object>>> done = new DeferredResult<>();
      done.setResult(ResponseEntity.ok(now));
      return done;
    }
    return watch.awaitTerminal(id, limit);
  }

  @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "List rollouts, newest first", description = "Filter by plan and phase")
  Map<String, Object> list(
      @RequestParam(required = false) String plan,
      @RequestParam(required = false) String phase,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    Requests.PageRequest paging = requests.page(page, size);
    Phase wanted = null;
    if (phase != null) {
      try {
        wanted = Phase.valueOf(phase.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw InvalidRequestException.of("phase", "must be one of " + List.of(Phase.values()));
      }
    }
    Object[] result =
        rollouts.list(plan, wanted, access.visiblePlans(), paging.page(), paging.size());
    return requests.pageBody((List<?>) result[0], paging, (Long) result[1]);
  }

  @PostMapping(path = "/{id}/pause", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Pause: hold at the current weight (analysis goes on)")
  Map<String, Object> pause(@PathVariable UUID id) {
    return rollouts.act(id, Action.PAUSE);
  }

  @PostMapping(path = "/{id}/resume", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Resume a paused rollout; a pause step counts as done")
  Map<String, Object> resume(@PathVariable UUID id) {
    return rollouts.act(id, Action.RESUME);
  }

  @PostMapping(path = "/{id}/promote", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Promote: skip the current step; with full=true skip every remaining step")
  Map<String, Object> promote(
      @PathVariable UUID id, @RequestParam(defaultValue = "false") boolean full) {
    return rollouts.act(id, full ? Action.PROMOTE_FULL : Action.PROMOTE);
  }

  @PostMapping(path = "/{id}/abort", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Abort: all traffic back to stable at once")
  Map<String, Object> abort(@PathVariable UUID id) {
    return rollouts.act(id, Action.ABORT);
  }

  @PostMapping(path = "/{id}/retry", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Retry a rolled-back, aborted or failed rollout from its first step")
  Map<String, Object> retry(@PathVariable UUID id) {
    return rollouts.act(id, Action.RETRY);
  }

  @GetMapping(path = "/{id}/events", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "The audit trail: transitions, weight changes, actions, analyses")
  Map<String, Object> events(
      @PathVariable UUID id,
      @RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "500") int limit) {
    visible(id);
    return Map.of("items", rollouts.events(id, after, bounded(limit)));
  }

  @GetMapping(path = "/{id}/events/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Operation(
      summary = "The audit trail as server-sent events; ends after the rollout finishes",
      description = "Resume with Last-Event-ID or after")
  SseEmitter stream(
      @PathVariable UUID id,
      @RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId,
      @RequestParam(defaultValue = "0") long after) {
    visible(id);
    return watch.stream(id, lastEventId != null ? lastEventId : after, STREAM_TIMEOUT);
  }

  @GetMapping(path = "/{id}/analyses", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Every analysis tick's measurement: values, classifications, score, verdict")
  Map<String, Object> analyses(
      @PathVariable UUID id,
      @RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "100") int limit) {
    visible(id);
    return Map.of("items", rollouts.analyses(id, after, bounded(limit)));
  }

  private static int bounded(int limit) {
    if (limit < 1 || limit > 1000) {
      throw InvalidRequestException.of("limit", "must be between 1 and 1000");
    }
    return limit;
  }
}
