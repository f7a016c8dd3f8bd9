package dev.aviary.controller.rollout;

import dev.aviary.controller.plan.PlanSpec;
import dev.aviary.controller.platform.RemoteCalls;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims due rollouts one at a time from the rollouts table ({@code FOR UPDATE SKIP LOCKED}) and
 * ticks each in its own transaction, which holds the row lock for the whole tick. Several
 * dispatchers, on one instance or many, share the work and never tick one rollout at once; if an
 * instance dies, PostgreSQL releases its locks and another picks the rollout up.
 */
@Component
class RolloutDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(RolloutDispatcher.class);
  private static final Duration TICK_ERROR_BACKOFF = Duration.ofSeconds(10);

  private final RolloutRepository rollouts;
  private final RolloutTicker ticker;
  private final RolloutJournal store;
  private final PlanSnapshots snapshots;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final Timer lag;
  private final Timer tickTime;

  /** How long one tick's remote calls may take together; past it, the rest wait a tick. */
  private final Duration tickBudget;

  RolloutDispatcher(
      RolloutRepository rollouts,
      RolloutTicker ticker,
      RolloutJournal store,
      PlanSnapshots snapshots,
      PlatformTransactionManager transactions,
      Clock clock,
      MeterRegistry meters,
      @Value("${aviary.scheduler.tick-budget:60s}") Duration tickBudget) {
    this.tickBudget = tickBudget;
    this.rollouts = rollouts;
    this.ticker = ticker;
    this.store = store;
    this.snapshots = snapshots;
    this.tx = new TransactionTemplate(transactions);
    this.clock = clock;
    this.lag =
        Timer.builder("aviary.scheduler.tick.lag")
            .description("How late a rollout's tick ran after it was due")
            .publishPercentiles(0.5, 0.99)
            .publishPercentileHistogram()
            .register(meters);
    this.tickTime =
        Timer.builder("aviary.scheduler.tick.duration")
            .description("How long one rollout tick took, remote calls included")
            .publishPercentiles(0.5, 0.99)
            .register(meters);
  }

  /** Ticks due rollouts until none is due or {@code budget} is spent; returns how many. */
  int drain(Duration budget) {
    Instant stop = clock.instant().plus(budget);
    int ticked = 0;
    while (clock.instant().isBefore(stop)) {
      Optional<UUID> done = tickOne();
      if (done.isEmpty()) {
        break;
      }
      ticked++;
    }
    return ticked;
  }

  /** Claims and ticks one due rollout; empty when none is due. */
  Optional<UUID> tickOne() {
    UUID[] claimed = new UUID[1];
    try {
      tx.executeWithoutResult(
          status -> {
            Instant now = clock.instant();
            Optional<UUID> id = rollouts.claimDue(now);
            if (id.isEmpty()) {
              return;
            }
            claimed[0] = id.get();
            Rollout r = rollouts.findById(id.get()).orElseThrow();
            if (r.nextTickAt() != null) {
              lag.record(
                  Duration.between(r.nextTickAt(), now).isNegative()
                      ? Duration.ZERO
                      : Duration.between(r.nextTickAt(), now));
            }
            long started = System.nanoTime();
            PlanSpec plan = snapshots.of(r);
            RemoteCalls.withinBudget(
                tickBudget,
                () -> {
                  ticker.tick(r, plan, now);
                  return null;
                });
            store.save(r, plan);
            tickTime.record(Duration.ofNanos(System.nanoTime() - started));
          });
    } catch (RuntimeException e) {
      if (claimed[0] == null) {
        throw e;
      }
      LOG.error("Tick of rollout {} failed; trying again in {}", claimed[0], TICK_ERROR_BACKOFF, e);
      recordTickFailure(claimed[0], e);
    }
    return Optional.ofNullable(claimed[0]);
  }

  /** A tick that failed on Aviary's side is recorded and retried later, not in a hot loop. */
  private void recordTickFailure(UUID id, RuntimeException e) {
    tx.executeWithoutResult(
        status -> {
          Instant now = clock.instant();
          rollouts
              .lockById(id)
              .ifPresent(
                  r -> {
                    r.tickFailed(
                        "tick failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                        now.plus(TICK_ERROR_BACKOFF),
                        now);
                    store.save(r, null);
                  });
        });
  }
}
