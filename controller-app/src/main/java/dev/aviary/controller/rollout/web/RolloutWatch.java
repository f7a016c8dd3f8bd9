package dev.aviary.controller.rollout.web;

import dev.aviary.controller.rollout.Phase;
import dev.aviary.controller.rollout.RolloutService;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Serves everyone waiting on rollouts — long-polls for a terminal phase and server-sent event
 * streams — from one poller thread reading the database, so that waiting holds no request thread
 * and works whichever replica made the change.
 */
@Component
class RolloutWatch implements DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(RolloutWatch.class);
  private static final Duration POLL = Duration.ofMillis(250);

  private final RolloutService rollouts;
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "rollout-watch");
            t.setDaemon(true);
            return t;
          });
  private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();

  RolloutWatch(RolloutService rollouts) {
    this.rollouts = rollouts;
    poller.scheduleWithFixedDelay(
        this::pollSafely, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private record Waiter(UUID id, DeferredResult<ResponseEntity<Map<String, Object>>> result) {}

  private static final class Stream {
    final UUID id;
    final SseEmitter emitter;
    volatile long lastEventId;

    Stream(UUID id, SseEmitter emitter, long lastEventId) {
      this.id = id;
      this.emitter = emitter;
      this.lastEventId = lastEventId;
    }
  }

  /** Answers when the rollout reaches a terminal phase, or with its state when time runs out. */
  DeferredResult<ResponseEntity<Map<String, Object>>> awaitTerminal(UUID id, Duration timeout) {
    DeferredResult<ResponseEntity<Map<String, Object>>> result =
        new DeferredResult<>(timeout.toMillis());
    Waiter waiter = new Waiter(id, result);
    result.onTimeout(() -> result.setResult(ResponseEntity.ok(rollouts.get(id))));
    result.onCompletion(() -> waiters.remove(waiter));
    result.onError(e -> waiters.remove(waiter));
    waiters.add(waiter);
    return result;
  }

  /** Streams the rollout's events after {@code afterEventId}, ending after the terminal phase. */
  SseEmitter stream(UUID id, long afterEventId, Duration timeout) {
    SseEmitter emitter = new SseEmitter(timeout.toMillis());
    Stream stream = new Stream(id, emitter, afterEventId);
    emitter.onCompletion(() -> streams.remove(stream));
    emitter.onTimeout(() -> streams.remove(stream));
    emitter.onError(e -> streams.remove(stream));
    streams.add(stream);
    return emitter;
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      LOG.warn("Polling rollouts for waiters failed; trying again", e);
    }
  }

  private void poll() {
    for (Waiter w : waiters) {
      Optional<Phase> phase = rollouts.phase(w.id());
      if (phase.isEmpty() || phase.get().terminal()) {
        w.result().setResult(ResponseEntity.ok(rollouts.get(w.id())));
        waiters.remove(w);
      }
    }
    for (Stream s : streams) {
      pump(s);
    }
  }

  private void pump(Stream s) {
    try {
      Optional<Phase> before = rollouts.phase(s.id);
      List<Map<String, Object>> events = rollouts.events(s.id, s.lastEventId, 200);
      if (!events.isEmpty()) {
        Map<String, Object> state = rollouts.get(s.id);
        for (Map<String, Object> e : events) {
          long eventId = ((Number) e.get("id")).longValue();
          e.put("rollout", summary(state));
          s.emitter.send(
              SseEmitter.event()
                  .id(String.valueOf(eventId))
                  .name(((String) e.get("type")).toLowerCase())
                  .data(e));
          s.lastEventId = eventId;
        }
      }
      if (events.size() < 200 && before.isPresent() && before.get().terminal()) {
        s.emitter.send(SseEmitter.event().name("end").data(summary(rollouts.get(s.id))));
        s.emitter.complete();
        streams.remove(s);
      }
    } catch (IOException | IllegalStateException e) {
      streams.remove(s); // the client went away
    }
  }

  private static Map<String, Object> summary(Map<String, Object> state) {
    return Map.of(
        "phase", state.get("phase"),
        "canaryWeight", state.get("canaryWeight"),
        "step", state.get("step"),
        "analysis", state.get("analysis"));
  }

  @Override
  public void destroy() {
    poller.shutdownNow();
    streams.forEach(s -> s.emitter.complete());
  }
}
