package dev.aviary.controller.rollout;

import dev.aviary.controller.analysis.AnalysisOutcome;
import dev.aviary.controller.routing.TrafficRouters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What a release engineer watches Aviary by, in {@code /actuator/prometheus}:
 *
 * <ul>
 *   <li>{@code aviary_rollouts{phase}}: rollouts in each phase, counted in the database, so every
 *       replica reports the same number (take {@code max} across replicas; {@code delta} over time
 *       gives promotions and rollbacks);
 *   <li>{@code aviary_rollouts_waiting_for_person}: paused rollouts that only a person can move on
 *       (a timed pause is not one of them);
 *   <li>{@code aviary_analysis_runs_total{outcome}}: analysis ticks this replica ran, by outcome;
 *   <li>{@code aviary_router_failures_total{router}}: failed attempts to drive a router.
 * </ul>
 */
@Component
class RolloutMetrics implements TickCounters {

  private static final Duration CACHE = Duration.ofSeconds(5);

  private final JdbcClient jdbc;
  private final Clock clock;
  private final MeterRegistry meters;
  private final Map<AnalysisOutcome, Counter> analyses = new EnumMap<>(AnalysisOutcome.class);
  private Map<Phase, Long> counts = new EnumMap<>(Phase.class);
  private long waitingForPerson;
  private Instant countedAt = Instant.EPOCH;

  RolloutMetrics(JdbcClient jdbc, Clock clock, MeterRegistry meters, TrafficRouters routers) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.meters = meters;
    routers.types().forEach(type -> routerFailures(type)); // present at 0 from the start
    for (Phase phase : Phase.values()) {
      Gauge.builder("aviary.rollouts", () -> count(phase))
          .description("Rollouts in this phase (all replicas report the same count)")
          .tag("phase", phase.name())
          .register(meters);
    }
    Gauge.builder("aviary.rollouts.waiting.for.person", this::waitingForPerson)
        .description(
            "Paused rollouts only a person can move on: a pause without a timer, a judge that"
                + " could not decide or judge, or a person's hold (a timed pause is not counted)")
        .register(meters);
    for (AnalysisOutcome outcome : AnalysisOutcome.values()) {
      analyses.put(
          outcome,
          Counter.builder("aviary.analysis.runs")
              .description("Analysis ticks run by this replica")
              .tag("outcome", outcome.name())
              .register(meters));
    }
  }

  @Override
  public void analysed(AnalysisOutcome outcome) {
    Counter counter = analyses.get(outcome);
    if (counter != null) {
      counter.increment();
    }
  }

  @Override
  public void routerFailed(String routerType) {
    routerFailures(routerType).increment();
  }

  private Counter routerFailures(String routerType) {
    return Counter.builder("aviary.router.failures")
        .description("Failed attempts to set or read a canary weight")
        .tag("router", routerType)
        .register(meters);
  }

  private long waitingForPerson() {
    count(Phase.PAUSED);
    synchronized (this) {
      return waitingForPerson;
    }
  }

  /** One grouped query at most every few seconds, however often the gauges are read. */
  private synchronized long count(Phase phase) {
    Instant now = clock.instant();
    if (Duration.between(countedAt, now).compareTo(CACHE) >= 0) {
      Map<Phase, Long> fresh = new EnumMap<>(Phase.class);
      long[] person = {0};
      jdbc.sql(
              "SELECT phase, count(*) AS n, count(*) FILTER (WHERE phase = 'PAUSED' AND"
                  + " (pause_until IS NULL OR held_by IS NOT NULL)) AS person"
                  + " FROM rollout GROUP BY phase")
          .query(
              rs -> {
                fresh.put(Phase.valueOf(rs.getString("phase")), rs.getLong("n"));
                person[0] += rs.getLong("person");
              });
      counts = fresh;
      waitingForPerson = person[0];
      countedAt = now;
    }
    return counts.getOrDefault(phase, 0L);
  }
}
