package dev.aviary.controller.plan.web;

import static dev.aviary.controller.support.PlanDocuments.aPlan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@AviaryIntegrationTest
class PlanApiIT {

  @LocalServerPort int port;
  Api api;

  @BeforeEach
  void client() {
    api = new Api(port);
  }

  @Test
  void createsAPlanWithLocationAndEtagAndReadsItBack() {
    Api.Response created =
        api.post("/api/v1/plans", aPlan("create-read").withWeights(10, 50, 100).build());
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/api/v1/plans/create-read");
    assertThat(created.header("ETag")).isEqualTo("\"1\"");
    assertThat(created.json().path("progressDeadline").asString()).isEqualTo("10m");

    Api.Response read = api.get("/api/v1/plans/create-read");
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.header("ETag")).isEqualTo("\"1\"");
    assertThat(read.json().path("steps").get(1).path("setWeight").asInt()).isEqualTo(50);
    assertThat(read.json().path("router").path("type").asString()).isEqualTo("dry-run");
  }

  @Test
  void aSecondPlanWithTheSameNameIsAConflict() {
    api.post("/api/v1/plans", aPlan("taken").withWeights(100).build());
    Api.Response again = api.post("/api/v1/plans", aPlan("taken").withWeights(50, 100).build());
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().path("type").asString())
        .isEqualTo("https://aviary.dev/problems/conflict");
  }

  @Test
  void anInvalidPlanIsA400ListingEveryViolationAndWritesNothing() {
    Map<String, Object> bad =
        aPlan("Not Valid")
            .withWeights(50, 20)
            .withStep(Map.of("pause", Map.of("duration", "soon")))
            .withRouter(Map.of("type", "hap"))
            .with("colour", "red")
            .build();
    Api.Response response = api.post("/api/v1/plans", bad);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.json().path("type").asString())
        .isEqualTo("https://aviary.dev/problems/invalid-request");
    assertThat(response.errorFields())
        .containsExactlyInAnyOrder(
            "name", "router.type", "steps[1].setWeight", "steps[2].pause.duration", "colour");

    Api.Response fixedName =
        api.post("/api/v1/plans", aPlan("half-written").withWeights(50, 20).build());
    assertThat(fixedName.status()).isEqualTo(400);
    assertThat(api.get("/api/v1/plans/half-written").status()).isEqualTo(404);
    assertThat(api.get("/api/v1/plans/half-written/revisions").status()).isEqualTo(404);
  }

  @Test
  void malformedOrWronglyShapedBodiesAre400NotServerErrors() {
    Api.Response malformed = api.post("/api/v1/plans", "{\"name\": \"x\",");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().path("type").asString())
        .isEqualTo("https://aviary.dev/problems/malformed-request");
    Api.Response array = api.post("/api/v1/plans", "[1, 2]");
    assertThat(array.status()).isEqualTo(400);
    Api.Response wrongTypes =
        api.post("/api/v1/plans", "{\"name\": 7, \"steps\": \"all\", \"router\": []}");
    assertThat(wrongTypes.status()).isEqualTo(400);
    assertThat(wrongTypes.errorFields()).containsExactlyInAnyOrder("name", "steps", "router");
    Api.Response badPage = api.get("/api/v1/plans?page=abc");
    assertThat(badPage.status()).isEqualTo(400);
    assertThat(badPage.errorFields()).containsExactly("page");
  }

  @Test
  void anOversizedBodyIsRefusedWith413() {
    String huge = "{\"name\": \"" + "a".repeat(1_100_000) + "\"}";
    Api.Response response = api.post("/api/v1/plans", huge);
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.json().path("type").asString())
        .isEqualTo("https://aviary.dev/problems/request-too-large");
  }

  @Test
  void replacingWithAStaleRevisionIs412AndNeverOverwrites() {
    api.post("/api/v1/plans", aPlan("stale").withWeights(10, 100).build());
    Api.Response first =
        api.put(
            "/api/v1/plans/stale",
            aPlan("stale").withWeights(20, 100).build(),
            Map.of("If-Match", "\"1\""));
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("ETag")).isEqualTo("\"2\"");

    Api.Response stale =
        api.put(
            "/api/v1/plans/stale",
            aPlan("stale").withWeights(30, 100).build(),
            Map.of("If-Match", "\"1\""));
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.json().path("currentRevision").asInt()).isEqualTo(2);
    assertThat(api.get("/api/v1/plans/stale").json().path("steps").get(0).path("setWeight").asInt())
        .isEqualTo(20);
  }

  @Test
  void writingWhatThePlanAlreadySaysMakesNoRevisionAndAPreviewWritesNothing() {
    assertThat(api.post("/api/v1/plans", aPlan("same").withWeights(10, 100).build()).status())
        .isEqualTo(201);
    Api.Response same =
        api.put("/api/v1/plans/same", aPlan("same").withWeights(10, 100).build(), Map.of());
    assertThat(same.status()).isEqualTo(200);
    assertThat(same.header("ETag")).isEqualTo("\"1\"");

    Api.Response unchanged =
        api.post("/api/v1/plans/same/preview", aPlan("same").withWeights(10, 100).build());
    assertThat(unchanged.status()).isEqualTo(200);
    assertThat(unchanged.json().path("revision").asInt()).isEqualTo(1);
    Api.Response changed =
        api.post("/api/v1/plans/same/preview", aPlan("same").withWeights(20, 100).build());
    assertThat(changed.json().path("revision").asInt()).isEqualTo(2);
    assertThat(changed.json().path("progressDeadline").asString())
        .as("defaults filled in, as a write would store them")
        .isEqualTo("10m");
    Api.Response invalid =
        api.post("/api/v1/plans/same/preview", aPlan("same").withWeights(20, 10).build());
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.errorFields()).contains("steps[1].setWeight");

    assertThat(api.get("/api/v1/plans/same").header("ETag")).isEqualTo("\"1\"");
    assertThat(api.get("/api/v1/plans/same/revisions").json().path("items").size()).isEqualTo(1);
  }

  @Test
  void concurrentWritersOfTheSameRevisionNeverBothWin() throws Exception {
    api.post("/api/v1/plans", aPlan("race").withWeights(10, 100).build());
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      int weight = 11 + i;
      Callable<Integer> write =
          () -> {
            start.await();
            return api.put(
                    "/api/v1/plans/race",
                    aPlan("race").withWeights(weight, 100).build(),
                    Map.of("If-Match", "\"1\""))
                .status();
          };
      results.add(pool.submit(write));
    }
    start.countDown();
    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> f : results) {
      statuses.add(f.get());
    }
    pool.shutdown();
    assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
    assertThat(statuses).filteredOn(s -> s == 412).hasSize(writers - 1);
    assertThat(api.get("/api/v1/plans/race").header("ETag")).isEqualTo("\"2\"");
    assertThat(api.get("/api/v1/plans/race/revisions").json().path("items").size()).isEqualTo(2);
  }

  @Test
  void aPutCannotRenameAndAnUnknownPlanIs404() {
    api.post("/api/v1/plans", aPlan("fixed-name").withWeights(100).build());
    Api.Response rename =
        api.put("/api/v1/plans/fixed-name", aPlan("other-name").withWeights(100).build(), Map.of());
    assertThat(rename.status()).isEqualTo(400);
    assertThat(rename.errorFields()).containsExactly("name");
    assertThat(
            api.put("/api/v1/plans/absent", aPlan("absent").withWeights(100).build(), Map.of())
                .status())
        .isEqualTo(404);
  }

  @Test
  void deletingKeepsTheHistoryAndTheNameCanBeUsedAgain() {
    api.post("/api/v1/plans", aPlan("deleted").withWeights(100).build());
    assertThat(api.delete("/api/v1/plans/deleted", Map.of("If-Match", "\"7\"")).status())
        .isEqualTo(412);
    assertThat(api.delete("/api/v1/plans/deleted", Map.of("If-Match", "\"1\"")).status())
        .isEqualTo(204);
    assertThat(api.get("/api/v1/plans/deleted").status()).isEqualTo(404);

    Api.Response recreated =
        api.post("/api/v1/plans", aPlan("deleted").withWeights(50, 100).build());
    assertThat(recreated.header("ETag")).isEqualTo("\"3\"");
    List<String> changes =
        api.get("/api/v1/plans/deleted/revisions")
            .json()
            .path("items")
            .valueStream()
            .map(i -> i.path("revision").asInt() + ":" + i.path("change").asString())
            .toList();
    assertThat(changes).containsExactly("3:CREATED", "2:DELETED", "1:CREATED");
    assertThat(
            api.get("/api/v1/plans/deleted/revisions/1").json().path("plan").path("steps").size())
        .isEqualTo(1);
  }

  @Test
  void aReadPlanCanBeWrittenBackAsItIs() {
    api.post(
        "/api/v1/plans",
        aPlan("round-trip").withLabels(Map.of("team", "payments")).withWeights(10, 100).build());
    Api.Response read = api.get("/api/v1/plans/round-trip");
    Api.Response written =
        api.put("/api/v1/plans/round-trip", read.json(), Map.of("If-Match", read.header("ETag")));
    assertThat(written.status()).isEqualTo(200);
    assertThat(written.json().path("labels").path("team").asString()).isEqualTo("payments");
  }

  @Test
  void listsByNamePrefixAndLabelsPageByPage() {
    for (int i = 0; i < 5; i++) {
      api.post(
          "/api/v1/plans",
          aPlan("listing-" + i)
              .withLabels(Map.of("team", i % 2 == 0 ? "even" : "odd", "tier", "web"))
              .withWeights(100)
              .build());
    }
    Api.Response all = api.get("/api/v1/plans?namePrefix=listing-&size=2");
    assertThat(all.json().path("totalItems").asInt()).isEqualTo(5);
    assertThat(all.json().path("totalPages").asInt()).isEqualTo(3);
    assertThat(all.json().path("items").valueStream().map(p -> p.path("name").asString()).toList())
        .containsExactly("listing-0", "listing-1");
    Api.Response lastPage = api.get("/api/v1/plans?namePrefix=listing-&size=2&page=2");
    assertThat(lastPage.json().path("items").size()).isEqualTo(1);

    Api.Response even = api.get("/api/v1/plans?namePrefix=listing-&label=team=even&label=tier=web");
    assertThat(even.json().path("items").valueStream().map(p -> p.path("name").asString()).toList())
        .containsExactly("listing-0", "listing-2", "listing-4");
    assertThat(api.get("/api/v1/plans?label=novalue").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/plans?size=500").errorFields()).containsExactly("size");
  }
}
