package dev.aviary.controller.platform;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A bulkhead per destination (a router's or metric backend's host and port): remote calls run on
 * their own threads, and the thread that asked — a rollout dispatcher — waits for an answer only so
 * long. A destination that holds a call longer than {@code slowCall} becomes <em>suspect</em>: it
 * gets one call at a time, and a caller waits on it only {@code suspectWait}; the others are turned
 * away at once ({@link RemoteCalls.NotTried}) instead of queueing behind it. A call the caller gave
 * up on goes on in the background until its own timeout, holding its destination's one place, so a
 * hanging backend holds at most one dispatcher for at most {@code suspectWait} at a time, and
 * rollouts whose backends answer never wait behind it. A quick answer clears the suspicion.
 */
final class Lanes implements AutoCloseable {

  /** How {@link Lanes} behave: see {@code aviary.remote.*} in application.yml. */
  record Settings(
      Duration callWait,
      Duration slowCall,
      Duration suspectWait,
      Duration suspectFor,
      int maxConcurrentPerDestination,
      int threads) {

    static final Settings DEFAULTS =
        new Settings(
            Duration.ofSeconds(15),
            Duration.ofSeconds(5),
            Duration.ofSeconds(1),
            Duration.ofSeconds(60),
            8,
            64);
  }

  private final Settings settings;
  private final ThreadPoolExecutor threads;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  private static final ThreadLocal<@Nullable Long> DEADLINE = new ThreadLocal<>();

  Lanes(Settings settings) {
    this.settings = settings;
    AtomicInteger n = new AtomicInteger();
    this.threads =
        new ThreadPoolExecutor(
            0,
            settings.threads(),
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "aviary-remote-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Runs {@code work} with a time budget for every remote call made inside it on this thread: once
   * it is spent, further calls are not made ({@link RemoteCalls.NotTried}) and a call under way is
   * waited on only until it ends.
   */
  static <T> T withinBudget(Duration budget, Supplier<T> work) {
    @Nullable Long outer = DEADLINE.get();
    long deadline = System.nanoTime() + budget.toNanos();
    DEADLINE.set(outer == null ? deadline : Math.min(outer, deadline));
    try {
      return work.get();
    } finally {
      DEADLINE.set(outer);
    }
  }

  /**
   * Runs {@code call} in {@code destination}'s lane and waits for it as described above; a null
   * destination is a call inside this process (a dry-run router), run here and now.
   *
   * @throws RemoteCalls.NotTried when the destination is busy or suspect, every remote-call thread
   *     is taken, or the budget is spent: nothing was sent
   * @throws RemoteCalls.TooSlow when the call did not answer in time; it goes on in the background
   */
  <T> T run(@Nullable String destination, Supplier<T> call) {
    if (destination == null) {
      return call.get();
    }
    long now = System.nanoTime();
    long wait = settings.callWait().toNanos();
    @Nullable Long deadline = DEADLINE.get();
    if (deadline != null) {
      if (deadline - now <= 0) {
        throw new RemoteCalls.NotTried(
            "the tick's time budget is spent; " + destination + " is called on the next tick");
      }
      wait = Math.min(wait, deadline - now);
    }
    Lane lane = lanes.computeIfAbsent(destination, d -> new Lane());
    Lane.Entry entry = lane.enter(now, settings);
    String refusal = entry.refusal();
    if (refusal != null) {
      throw new RemoteCalls.NotTried(destination + " " + refusal);
    }
    if (entry.suspect()) {
      wait = Math.min(wait, settings.suspectWait().toNanos());
    }
    Future<T> answer;
    try {
      answer =
          threads.submit(
              () -> {
                boolean answered = false;
                try {
                  T value = call.get();
                  answered = true;
                  return value;
                } catch (RemoteCalls.NotTried | CallNotPermittedException e) {
                  throw e; // an open breaker answers for the destination: it says nothing of it
                } catch (RuntimeException e) {
                  answered = true;
                  throw e;
                } finally {
                  lane.leave(entry, System.nanoTime(), settings, answered);
                }
              });
    } catch (RejectedExecutionException e) {
      lane.leave(entry, System.nanoTime(), settings, false);
      throw new RemoteCalls.NotTried(
          "all " + settings.threads() + " remote-call threads are waiting on other backends");
    }
    long waitUntil = now + wait;
    long slowAt = entry.started() + settings.slowCall().toNanos();
    try {
      while (true) {
        long at = System.nanoTime();
        long until = at - slowAt < 0 ? Math.min(waitUntil, slowAt) : waitUntil;
        try {
          return answer.get(Math.max(0, until - at), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          long late = System.nanoTime();
          boolean waitedOut = late - waitUntil >= 0;
          if (waitedOut || !lane.oldest(entry)) {
            // Past slowCall only the destination's oldest call keeps a caller waiting: the rest
            // are let go, so a destination that just began to hang holds one dispatcher, not all.
            lane.abandoned(late, settings);
            throw new RemoteCalls.TooSlow(
                destination
                    + " did not answer within "
                    + seconds(late - now)
                    + "; the call goes on in the background and the destination gets one call at"
                    + " a time until it answers quickly again");
          }
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteCalls.NotTried("interrupted while waiting on " + destination);
    }
  }

  /** How many calls to {@code destination} are under way (for tests and diagnostics). */
  int inFlight(String destination) {
    Lane lane = lanes.get(destination);
    return lane == null ? 0 : lane.size();
  }

  /** Whether {@code destination} is suspect now (for tests and diagnostics). */
  boolean suspect(String destination) {
    Lane lane = lanes.get(destination);
    return lane != null && lane.suspect(System.nanoTime());
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  /** One destination's calls under way, and whether it is suspect. */
  private static final class Lane {

    /** One call's place in the lane; compared by identity, as two calls may start at once. */
    static final class Entry {
      private final long started;
      private final boolean suspect;
      private final @Nullable String refusal;

      Entry(long started, boolean suspect, @Nullable String refusal) {
        this.started = started;
        this.suspect = suspect;
        this.refusal = refusal;
      }

      long started() {
        return started;
      }

      boolean suspect() {
        return suspect;
      }

      @Nullable String refusal() {
        return refusal;
      }
    }

    private final Set<Entry> inFlight = new LinkedHashSet<>();
    private long suspectUntil;
    private boolean suspect;

    synchronized Entry enter(long now, Settings s) {
      boolean stuck = false;
      for (Entry e : inFlight) {
        if (now - e.started() > s.slowCall().toNanos()) {
          stuck = true;
          break;
        }
      }
      boolean wary = stuck || (suspect && now - suspectUntil < 0);
      int limit = wary ? 1 : s.maxConcurrentPerDestination();
      if (inFlight.size() >= limit) {
        return new Entry(
            now,
            wary,
            wary
                ? "is slow to answer and has a call under way; it gets one call at a time"
                : "has " + inFlight.size() + " calls under way, its limit");
      }
      Entry e = new Entry(now, wary, null);
      inFlight.add(e);
      return e;
    }

    /**
     * A call ended: a slow one keeps the destination suspect; only a quick answer from the
     * destination itself clears it (not a refusal of the breaker in front of it).
     */
    synchronized void leave(Entry e, long now, Settings s, boolean answered) {
      inFlight.remove(e);
      if (now - e.started() > s.slowCall().toNanos()) {
        abandoned(now, s);
      } else if (answered && inFlight.isEmpty()) {
        suspect = false; // not while a call it was given up on still hangs there
      }
    }

    synchronized void abandoned(long now, Settings s) {
      suspect = true;
      suspectUntil = now + s.suspectFor().toNanos();
    }

    synchronized boolean oldest(Entry e) {
      return !inFlight.isEmpty() && inFlight.iterator().next() == e;
    }

    synchronized boolean suspect(long now) {
      return suspect && now - suspectUntil < 0;
    }

    synchronized int size() {
      return inFlight.size();
    }
  }
}
