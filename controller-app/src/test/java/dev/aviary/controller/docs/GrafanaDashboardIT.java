package dev.aviary.controller.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import dev.aviary.testing.PrometheusServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard in docs/grafana is true to what Aviary exports: a real Prometheus scrapes
 * the controller's /actuator/prometheus, every panel query runs against it without error, every
 * metric a panel names is one Aviary exports, and the rollout panels return data.
 */
@AviaryIntegrationTest
class GrafanaDashboardIT {

  private static final Pattern METRIC = Pattern.compile("\\b([a-z][a-z0-9_]*)\\s*[{(\\[]");
  private static final Set<String> PROMQL =
      Set.of("sum", "max", "min", "count", "rate", "delta", "histogram_quantile", "by", "up", "le");

  @LocalServerPort int port;

  @org.springframework.beans.factory.annotation.Autowired
  dev.aviary.controller.platform.RemoteCalls remote;

  @Test
  void everyPanelQueryRunsAndNamesAnExportedMetric() throws Exception {
    JsonNode dashboard =
        JsonMapper.builder()
            .build()
            .readTree(Files.readString(Path.of("..", "docs", "grafana", "aviary-dashboard.json")));
    List<String> queries = new ArrayList<>();
    String rolloutsByPhase = null;
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String q = target.path("expr").asString().replace("$job", ".*");
        queries.add(q);
        if (panel.path("title").asString().equals("Rollouts by phase")) {
          rolloutsByPhase = q;
        }
      }
    }
    // a circuit breaker exists once a remote call was made; make one so its metrics are there
    remote.call("grafana-dashboard-it", () -> 1);
    assertThat(queries).hasSizeGreaterThan(10);

    String exported = new Api(port).get("/actuator/prometheus").text();
    Set<String> named = new TreeSet<>();
    for (String q : queries) {
      Matcher m = METRIC.matcher(q);
      while (m.find()) {
        if (!PROMQL.contains(m.group(1))) {
          named.add(m.group(1));
        }
      }
    }
    assertThat(named).contains("aviary_rollouts", "aviary_analysis_runs_total");
    for (String metric : named) {
      assertThat(exported).as(metric + " is exported").contains("\n" + metric + "{");
    }

    Path dir = Files.createTempDirectory("aviary-grafana-it");
    try (PrometheusServer prometheus =
        PrometheusServer.scraping(dir, List.of("127.0.0.1:" + port), "/actuator/prometheus")) {
      Api api = new Api(prometheus.url()).anonymous();
      await("Prometheus has scraped Aviary twice")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  result(api, "count_over_time(aviary_rollouts{phase=\"SUCCEEDED\"}[1m]) >= 2")
                          .size()
                      > 0);
      for (String q : queries) {
        Api.Response r =
            api.get("/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
        assertThat(r.json().path("status").asString()).as(q + ": " + r.text()).isEqualTo("success");
      }
      assertThat(rolloutsByPhase).isNotNull();
      assertThat(result(api, rolloutsByPhase)).as("rollouts by phase").isNotEmpty();
    }
  }

  private static List<JsonNode> result(Api api, String query) {
    return api.get("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))
        .json()
        .path("data")
        .path("result")
        .valueStream()
        .toList();
  }
}
