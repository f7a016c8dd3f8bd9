package dev.aviary.controller.rollout;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.MetricEndpoint;
import dev.aviary.testing.ControllerProcess;
import dev.aviary.testing.FreePorts;
import dev.aviary.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real controller processes (the packaged jar) on one real PostgreSQL: killed with SIGKILL in the
 * middle of rollouts, and run two at a time. The dry-run router commits what it is asked on its
 * own, as a real router would keep a weight whatever became of the controller, so its ledger is the
 * record of every traffic change made.
 */
class CrashAndClusterIT {

  static final List<Integer> WEIGHTS = List.of(10, 20, 30, 40, 50, 60, 80, 100);
  static MetricEndpoint metrics;
  static Path logs;

  @BeforeAll
  static void setUp() throws Exception {
    metrics = new MetricEndpoint();
    logs = Files.createTempDirectory("aviary-cluster-it");
  }

  @AfterAll
  static void tearDown() {
    metrics.close();
  }

  private static Map<String, String> properties(TestPostgres.Database db) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("spring.datasource.url", db.jdbcUrl());
    p.put("spring.datasource.username", db.username());
    p.put("spring.datasource.password", db.password());
    p.put("aviary.scheduler.poll-interval", "200ms");
    p.put("spring.quartz.properties.org.quartz.jobStore.clusterCheckinInterval", "1000");
    return p;
  }

  private static void createPlanAndStart(Api api, String plan) {
    var doc =
        aPlan(plan)
            .withWebMetric("error-rate", metrics.urlTemplate(plan), 0.01)
            .withAnalysis("interval", "1s");
    WEIGHTS.forEach(doc::withWeights);
    assertThat(api.post("/api/v1/plans", doc.build()).status()).isEqualTo(201);
    metrics.set(plan, "5.0", 0.001);
    Api.Response started =
        api.post("/api/v1/rollouts", Map.of("plan", plan, "canary", Map.of("version", "5.0")));
    assertThat(started.status()).as(started.text()).isEqualTo(201);
  }

  @Test
  void aControllerKilledAgainAndAgainFinishesEveryRolloutWithNoWeightSkippedOrRepeated()
      throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase();
    List<String> plans = List.of("crash-a", "crash-b", "crash-c");
    ControllerProcess controller =
        ControllerProcess.start(FreePorts.next(), properties(db), logs, "crash-0");
    for (String plan : plans) {
      createPlanAndStart(new Api(controller.url()), plan);
    }
    int kills = 0;
    for (int r = 1; r <= 4; r++) {
      int round = r;
      int before = weightEvents(db);
      // Kill once the rollouts have moved on: each round at a different point of their ramps.
      await("progress before kill " + round)
          .atMost(Duration.ofSeconds(60))
          .until(() -> weightEvents(db) >= before + round);
      controller.kill();
      kills++;
      controller =
          ControllerProcess.start(FreePorts.next(), properties(db), logs, "crash-" + round);
    }
    ControllerProcess last = controller;
    try {
      await("every rollout finishes after " + kills + " kills")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> plans.stream().allMatch(p -> "SUCCEEDED".equals(phaseOf(db, p))));
    } finally {
      last.close();
    }
    for (String plan : plans) {
      assertThat(routerHistory(db, plan))
          .as("weights the router was given for %s", plan)
          .containsExactlyElementsOf(WEIGHTS);
      assertThat(weightChanges(db, plan))
          .as("weight events of %s", plan)
          .containsExactlyElementsOf(expectedChanges());
    }
    assertThat(kills).isEqualTo(4);
  }

  @Test
  void twoControllersOnOneDatabaseNeverDoubleAWeightChangeAndTheSurvivorCarriesOn()
      throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase();
    List<String> plans = List.of("pair-a", "pair-b", "pair-c", "pair-d", "pair-e", "pair-f");
    // Clustered Quartz hands each firing of the dispatcher triggers to whichever instance takes it
    // first; with four triggers rather than two, both instances get work within the minute even
    // when one of them is the quicker to poll.
    Map<String, String> pair = new LinkedHashMap<>(properties(db));
    pair.put("aviary.scheduler.dispatchers", "4");
    ControllerProcess first = ControllerProcess.start(FreePorts.next(), pair, logs, "pair-1");
    ControllerProcess second = ControllerProcess.start(FreePorts.next(), pair, logs, "pair-2");
    try {
      for (int i = 0; i < plans.size(); i++) {
        createPlanAndStart(new Api((i % 2 == 0 ? first : second).url()), plans.get(i));
      }
      await("both instances tick rollouts")
          .atMost(Duration.ofSeconds(120))
          .until(() -> ticks(first) > 0 && ticks(second) > 0);
      await("some progress").atMost(Duration.ofSeconds(60)).until(() -> weightEvents(db) >= 12);
      first.kill();
      await("the survivor finishes every rollout")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> plans.stream().allMatch(p -> "SUCCEEDED".equals(phaseOf(db, p))));
    } finally {
      first.close();
      second.close();
    }
    for (String plan : plans) {
      assertThat(routerHistory(db, plan))
          .as("weights the router was given for %s", plan)
          .containsExactlyElementsOf(WEIGHTS);
      assertThat(weightChanges(db, plan))
          .as("weight events of %s", plan)
          .containsExactlyElementsOf(expectedChanges());
    }
  }

  private static List<String> expectedChanges() {
    List<String> changes = new ArrayList<>();
    int from = 0;
    for (int w : WEIGHTS) {
      changes.add(from + "->" + w);
      from = w;
    }
    return changes;
  }

  /** The number of ticks an instance has run, from its own /actuator/prometheus. */
  private static double ticks(ControllerProcess p) {
    try {
      String metricsText = new Api(p.url()).get("/actuator/prometheus").text();
      return metricsText
          .lines()
          .filter(l -> l.startsWith("aviary_scheduler_tick_duration_seconds_count"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static Connection connect(TestPostgres.Database db) throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
  }

  private static int weightEvents(TestPostgres.Database db) throws SQLException {
    try (Connection c = connect(db);
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT count(*) FROM rollout_event WHERE type = 'WEIGHT'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String phaseOf(TestPostgres.Database db, String plan) {
    try (Connection c = connect(db);
        PreparedStatement s = c.prepareStatement("SELECT phase FROM rollout WHERE plan_name = ?")) {
      s.setString(1, plan);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Integer> routerHistory(TestPostgres.Database db, String plan)
      throws SQLException {
    List<Integer> weights = new ArrayList<>();
    try (Connection c = connect(db);
        PreparedStatement s =
            c.prepareStatement(
                "SELECT weight FROM dry_run_weight WHERE plan_name = ? ORDER BY id")) {
      s.setString(1, plan);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          weights.add(rs.getInt(1));
        }
      }
    }
    return weights;
  }

  private static List<String> weightChanges(TestPostgres.Database db, String plan)
      throws SQLException {
    List<String> changes = new ArrayList<>();
    try (Connection c = connect(db);
        PreparedStatement s =
            c.prepareStatement(
                "SELECT e.from_weight, e.to_weight FROM rollout_event e JOIN rollout r ON r.id = e.rollout_id"
                    + " WHERE r.plan_name = ? AND e.type = 'WEIGHT' ORDER BY e.id")) {
      s.setString(1, plan);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          changes.add(rs.getInt(1) + "->" + rs.getInt(2));
        }
      }
    }
    return changes;
  }
}
