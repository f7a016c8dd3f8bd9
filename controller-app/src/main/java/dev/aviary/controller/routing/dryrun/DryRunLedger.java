package dev.aviary.controller.routing.dryrun;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dry-run router's memory: every change of a plan's intended canary weight, in PostgreSQL so
 * that it outlives the process (and a crash test can read it afterwards). It writes in its own
 * transaction, committed at once, as a real router's state changes whatever becomes of the
 * controller's transaction: a crash after the call leaves the weight set, as it would on HAProxy.
 */
@Component
public class DryRunLedger {

  private final JdbcClient jdbc;
  private final Clock clock;
  private final TransactionTemplate own;

  DryRunLedger(JdbcClient jdbc, Clock clock, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.own = new TransactionTemplate(transactions);
    this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  /** Records {@code weight} unless it is the plan's current weight already. */
  void record(String plan, String rollout, int weight) {
    own.executeWithoutResult(status -> insert(plan, rollout, weight));
  }

  private void insert(String plan, String rollout, int weight) {
    jdbc.sql(
            "INSERT INTO dry_run_weight (plan_name, rollout_id, weight, recorded_at)"
                + " SELECT :plan, :rollout, :weight, :at"
                + " WHERE NOT EXISTS (SELECT 1 FROM dry_run_weight d WHERE d.plan_name = :plan"
                + " AND d.id = (SELECT max(id) FROM dry_run_weight WHERE plan_name = :plan) AND d.weight = :weight)"
                + " AND (EXISTS (SELECT 1 FROM dry_run_weight WHERE plan_name = :plan) OR :weight <> 0)")
        .param("plan", plan)
        .param("rollout", rollout)
        .param("weight", weight)
        .param("at", Timestamp.from(clock.instant()))
        .update();
  }

  /** The plan's current intended weight: 0 before anything was recorded. */
  OptionalInt current(String plan) {
    return own.execute(status -> currentIn(plan));
  }

  private OptionalInt currentIn(String plan) {
    List<Integer> last =
        jdbc.sql(
                "SELECT weight FROM dry_run_weight WHERE plan_name = :plan ORDER BY id DESC LIMIT 1")
            .param("plan", plan)
            .query(Integer.class)
            .list();
    return OptionalInt.of(last.isEmpty() ? 0 : last.get(0));
  }

  /** Every weight change recorded for {@code plan}, oldest first. */
  public List<Integer> history(String plan) {
    return jdbc.sql("SELECT weight FROM dry_run_weight WHERE plan_name = :plan ORDER BY id")
        .param("plan", plan)
        .query(Integer.class)
        .list();
  }

  /** Records the plan's header routes and mirroring ({@code Routes.canonical()}). */
  void recordRoutes(String plan, @Nullable String rollout, String routes) {
    own.executeWithoutResult(
        status ->
            jdbc.sql(
                    "INSERT INTO dry_run_routes (plan_name, rollout_id, routes, recorded_at)"
                        + " VALUES (:plan, :rollout, :routes, :at) ON CONFLICT (plan_name) DO"
                        + " UPDATE SET rollout_id = :rollout, routes = :routes, recorded_at = :at")
                .param("plan", plan)
                .param("rollout", rollout)
                .param("routes", routes)
                .param("at", Timestamp.from(clock.instant()))
                .update());
  }

  /** The plan's recorded routes; empty before any were recorded. */
  public java.util.Optional<String> routes(String plan) {
    return own.execute(
        status ->
            jdbc.sql("SELECT routes FROM dry_run_routes WHERE plan_name = :plan")
                .param("plan", plan)
                .query(String.class)
                .optional());
  }
}
