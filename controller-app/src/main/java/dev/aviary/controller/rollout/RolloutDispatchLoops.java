package dev.aviary.controller.rollout;

import dev.aviary.controller.platform.QuartzJobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The threads that tick rollouts on this instance: {@code aviary.scheduler.dispatchers} of them,
 * each draining due rollouts ({@link RolloutDispatcher}) and, when none is due, looking again after
 * {@code aviary.scheduler.poll-interval}. Every instance runs its own: the rows' {@code FOR UPDATE
 * SKIP LOCKED} claims keep two threads, here or on another replica, from ticking one rollout, so
 * capacity grows with dispatchers and with replicas alike. (Earlier versions drove dispatchers from
 * clustered Quartz triggers, each of which fires on one instance at a time, so that replicas added
 * no capacity; their triggers are removed at start-up.)
 */
@Component
class RolloutDispatchLoops implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(RolloutDispatchLoops.class);

  /** The Quartz group earlier versions registered dispatcher triggers in. */
  static final String OLD_QUARTZ_GROUP = "aviary-rollouts";

  private final RolloutDispatcher dispatcher;
  private final QuartzJobs quartz;
  private final int dispatchers;
  private final Duration pollInterval;
  private final Duration budget;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  RolloutDispatchLoops(
      RolloutDispatcher dispatcher,
      QuartzJobs quartz,
      @Value("${aviary.scheduler.dispatchers:2}") int dispatchers,
      @Value("${aviary.scheduler.poll-interval:500ms}") Duration pollInterval,
      @Value("${aviary.scheduler.drain-budget:5s}") Duration budget) {
    this.dispatcher = dispatcher;
    this.quartz = quartz;
    this.dispatchers = dispatchers;
    this.pollInterval = pollInterval;
    this.budget = budget;
  }

  @Override
  public synchronized void start() {
    quartz.replaceGroup(OLD_QUARTZ_GROUP, Map.of());
    running = true;
    for (int i = 0; i < dispatchers; i++) {
      Thread t = new Thread(this::loop, "aviary-dispatch-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void loop() {
    while (running) {
      int ticked = 0;
      try {
        ticked = dispatcher.drain(budget);
      } catch (RuntimeException e) {
        // the database is unreachable, say: the health check reports it; try again shortly
        LOG.warn("dispatching rollouts failed; trying again in {}", pollInterval, e);
      }
      if (ticked == 0 && running) {
        try {
          Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Lets every tick under way finish (each ends within its time budget), then returns. */
  @Override
  public synchronized void stop() {
    running = false;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    threads.clear();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
