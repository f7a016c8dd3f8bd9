package dev.aviary.controller.rollout.web;

import dev.aviary.controller.rollout.Phase;
import dev.aviary.controller.rollout.RolloutEventView;
import dev.aviary.controller.rollout.RolloutService;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Serves everyone waiting on rollouts — long-polls for a terminal phase and server-sent event
 * streams — from one poller thread reading the database, so that waiting holds no request thread
 * and works whichever replica made the change.
 *
 * <p>At shutdown it ends every stream and long-poll before the web server's graceful shutdown
 * begins: that waits for open requests, and a client following a rollout would otherwise hold the
 * controller for the whole grace period. Clients resume where they were (Last-Event-ID) on the next
 * controller.
 */
@Component
class RolloutWatch implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(RolloutWatch.class);
  private static final Duration POLL = Duration.ofMillis(250);

  private final RolloutService rollouts;
  private @Nullable ScheduledExecutorService poller;
  private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private final Set<Feed> feeds = ConcurrentHashMap.newKeySet();

  /**
   * Where the feeds stand in the event log. A missing id holds it back for at most 10 s: ids are
   * taken when an event is written and become visible when its transaction commits, so a later id
   * can be seen first; one that has not appeared by then was rolled back (or skipped).
   */
  private final GapCursor feedCursor = new GapCursor(Duration.ofSeconds(10));

  private static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private @Nullable ScheduledFuture<?> polling;

  RolloutWatch(RolloutService rollouts) {
    this.rollouts = rollouts;
  }

  /** Starts polling; after a {@link #stop()} (a context paused and resumed) it starts afresh. */
  @Override
  public synchronized void start() {
    if (polling == null) {
      ScheduledExecutorService executor =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "rollout-watch");
                t.setDaemon(true);
                return t;
              });
      poller = executor;
      polling =
          executor.scheduleWithFixedDelay(
              this::pollSafely, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return polling != null;
  }

  /** Stops before the web server's graceful shutdown (a higher phase stops earlier). */
  @Override
  public int getPhase() {
    return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1;
  }

  private record Waiter(UUID id, DeferredResult<ResponseEntity<RolloutResponse>> result) {}

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

  private static final class Feed {
    final SseEmitter emitter;
    final Optional<Set<String>> plans;
    volatile java.time.Instant lastSent = java.time.Instant.now();

    Feed(SseEmitter emitter, Optional<Set<String>> plans) {
      this.emitter = emitter;
      this.plans = plans;
    }
  }

  /**
   * Streams a change event for every event of every rollout in {@code plans} (all when empty) from
   * now on: a signal for a live list to read again, not a log to replay.
   */
  SseEmitter changes(Optional<Set<String>> plans, Duration timeout) {
    SseEmitter emitter = new SseEmitter(timeout.toMillis());
    Feed feed = new Feed(emitter, plans);
    emitter.onCompletion(() -> feeds.remove(feed));
    emitter.onTimeout(() -> feeds.remove(feed));
    emitter.onError(e -> feeds.remove(feed));
    feeds.add(feed);
    opened(emitter);
    return emitter;
  }

  /** Answers when the rollout reaches a terminal phase, or with its state when time runs out. */
  DeferredResult<ResponseEntity<RolloutResponse>> awaitTerminal(UUID id, Duration timeout) {
    DeferredResult<ResponseEntity<RolloutResponse>> result =
        new DeferredResult<>(timeout.toMillis());
    Waiter waiter = new Waiter(id, result);
    result.onTimeout(() -> result.setResult(ResponseEntity.ok(current(id))));
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
    opened(emitter);
    return emitter;
  }

  /**
   * A comment line sent at once: the response's headers go out with it, so a browser's EventSource
   * reports the stream open before the first event (SSE parsers skip comments).
   */
  private static void opened(SseEmitter emitter) {
    try {
      emitter.send(SseEmitter.event().comment("open"));
    } catch (IOException | IllegalStateException e) {
      emitter.completeWithError(e);
    }
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      LOG.warn("Polling rollouts for waiters failed; trying again", e);
    }
  }

  private void poll() {
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      Optional<Phase> phase = rollouts.phase(w.id());
      if (phase.isEmpty() || phase.get().terminal()) {
        w.result().setResult(ResponseEntity.ok(current(w.id())));
        it.remove();
      }
    }
    for (Stream s : streams) {
      pump(s);
    }
    if (feeds.isEmpty()) {
      feedCursor.reset(); // nobody listens: start from the newest again when someone does
    } else {
      pumpFeeds();
    }
  }

  private void pumpFeeds() {
    if (!feedCursor.started()) {
      feedCursor.start(rollouts.lastEventId());
    }
    for (RolloutService.Change c : rollouts.changes(feedCursor.position(), 500)) {
      if (feedCursor.offer(c.id())) {
        for (Feed f : feeds) {
          if (f.plans.map(p -> p.contains(c.plan())).orElse(true)) {
            send(f, SseEmitter.event().id(String.valueOf(c.id())).name("change").data(c));
          }
        }
      }
    }
    java.time.Instant now = java.time.Instant.now();
    feedCursor.advance(now);
    for (Feed f : feeds) {
      if (Duration.between(f.lastSent, now).compareTo(HEARTBEAT) >= 0) {
        send(f, SseEmitter.event().comment("still here"));
      }
    }
  }

  private void send(Feed f, SseEmitter.SseEventBuilder event) {
    try {
      f.emitter.send(event);
      f.lastSent = java.time.Instant.now();
    } catch (IOException | IllegalStateException e) {
      feeds.remove(f); // the client went away
    }
  }

  private RolloutResponse current(UUID id) {
    return RolloutResponse.of(rollouts.get(id));
  }

  private void pump(Stream s) {
    try {
      Optional<Phase> before = rollouts.phase(s.id);
      List<RolloutEventView> events = rollouts.events(s.id, s.lastEventId, 200);
      if (!events.isEmpty()) {
        RolloutEventResponse.RolloutState state =
            RolloutEventResponse.RolloutState.of(current(s.id));
        for (RolloutEventView e : events) {
          s.emitter.send(
              SseEmitter.event()
                  .id(String.valueOf(e.id()))
                  .name(e.type().name().toLowerCase(Locale.ROOT))
                  .data(RolloutEventResponse.of(e, state)));
          s.lastEventId = e.id();
        }
      }
      if (events.size() < 200 && before.isPresent() && before.get().terminal()) {
        s.emitter.send(
            SseEmitter.event()
                .name("end")
                .data(RolloutEventResponse.RolloutState.of(current(s.id))));
        s.emitter.complete();
        streams.remove(s);
      }
    } catch (IOException | IllegalStateException e) {
      streams.remove(s); // the client went away
    }
  }

  /**
   * Ends every stream (a client reconnects and resumes after its last event) and answers every
   * long-poll with the rollout's current state, then stops polling.
   */
  @Override
  public synchronized void stop() {
    if (polling == null) {
      return;
    }
    polling.cancel(false);
    polling = null;
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
    for (Stream s : streams) {
      s.emitter.complete();
    }
    streams.clear();
    for (Feed f : feeds) {
      f.emitter.complete();
    }
    feeds.clear();
    for (Waiter w : waiters) {
      try {
        w.result().setResult(ResponseEntity.ok(current(w.id())));
      } catch (RuntimeException e) {
        w.result().setErrorResult(e);
      }
    }
    waiters.clear();
  }
}
