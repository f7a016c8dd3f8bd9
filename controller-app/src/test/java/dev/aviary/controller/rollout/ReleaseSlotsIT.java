package dev.aviary.controller.rollout;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.routing.dryrun.DryRunLedger;
import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Release after release on one plan: each promoted release leaves its server group live and the
 * next goes to the other from 0 %, the router's raw weights (the dry-run ledger) mirroring the
 * rollouts' own; a rolled-back release changes nothing; a router that already sends traffic to the
 * group a release would go to refuses the start.
 */
@AviaryIntegrationTest
class ReleaseSlotsIT {

  @LocalServerPort int port;
  @Autowired DryRunLedger ledger;
  @Autowired JdbcClient jdbc;

  @Test
  void eachPromotedReleaseIsTheNextOnesStableAndAStartOntoServersWithTrafficIsRefused() {
    Api api = new Api(port);
    assertThat(api.post("/api/v1/plans", aPlan("slots").withWeights(50, 100).build()).status())
        .isEqualTo(201);
    assertThat(nextSlot(api).path("slot").asString()).isEqualTo("canary");
    assertThat(nextSlot(api).has("live")).isFalse();

    String first = start(api, "2.0");
    assertThat(api.get("/api/v1/rollouts/" + first).json().path("slot").asString())
        .isEqualTo("canary");
    awaitPhase(api, first, "SUCCEEDED");
    assertThat(ledger.history("slots")).containsExactly(50, 100);
    JsonNode next = nextSlot(api);
    assertThat(next.path("slot").asString()).isEqualTo("stable");
    assertThat(next.path("live").asString()).isEqualTo("canary");

    String second = start(api, "3.0");
    assertThat(api.get("/api/v1/rollouts/" + second).json().path("slot").asString())
        .isEqualTo("stable");
    awaitPhase(api, second, "SUCCEEDED");
    // the rollout's weights are the stable group's share; the router's are the canary group's
    assertThat(weightChanges(api, second)).containsExactly("0->50", "50->100");
    assertThat(ledger.history("slots")).containsExactly(50, 100, 50, 0);
    assertThat(nextSlot(api).path("slot").asString()).isEqualTo("canary");

    // a person sets the router by hand: 30 % on the canary group, where release 3 would go
    jdbc.sql(
            "INSERT INTO dry_run_weight (plan_name, rollout_id, weight, recorded_at)"
                + " VALUES ('slots', 'by-hand', 30, :at)")
        .param("at", Timestamp.from(Instant.now()))
        .update();
    Api.Response refused =
        api.post("/api/v1/rollouts", Map.of("plan", "slots", "canary", Map.of("version", "4.0")));
    assertThat(refused.status()).as(refused.text()).isEqualTo(409);
    assertThat(refused.json().path("detail").asString())
        .contains("sends 30% of the traffic to the canary servers")
        .contains("Put all traffic on the stable servers");
    assertThat(ledger.history("slots")).containsExactly(50, 100, 50, 0, 30); // nothing moved
  }

  private static JsonNode nextSlot(Api api) {
    Api.Response r = api.get("/api/v1/rollouts/next-slot?plan=slots");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  private static String start(Api api, String version) {
    Api.Response r =
        api.post("/api/v1/rollouts", Map.of("plan", "slots", "canary", Map.of("version", version)));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().path("id").asString();
  }

  private static void awaitPhase(Api api, String id, String phase) {
    await("rollout " + id + " " + phase)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> api.get("/api/v1/rollouts/" + id).json().path("phase").asString().equals(phase));
  }

  private static List<String> weightChanges(Api api, String id) {
    return api.get("/api/v1/rollouts/" + id + "/events")
        .json()
        .path("items")
        .valueStream()
        .filter(e -> e.path("type").asString().equals("WEIGHT"))
        .map(e -> e.path("fromWeight").asInt() + "->" + e.path("toWeight").asInt())
        .toList();
  }
}
