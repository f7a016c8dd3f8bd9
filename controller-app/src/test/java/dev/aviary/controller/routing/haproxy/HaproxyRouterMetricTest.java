package dev.aviary.controller.routing.haproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.analysis.metrics.QueryLanguage;
import dev.aviary.analysis.metrics.QueryTemplate;
import dev.aviary.controller.routing.RouterMetric;
import dev.aviary.kernel.OutboundPolicy;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * HAProxy's {@code http-error-rate}: each side's 5xx and all answers from the exporter's {@code
 * haproxy_server_http_responses_total}, selected by the backend and that side's servers — and only
 * those servers (a dot in a server's name matches a dot, not any character).
 */
class HaproxyRouterMetricTest {

  private final HaproxyRouterFactory factory = new HaproxyRouterFactory(OutboundPolicy.ANY);

  private RouterMetric metric(List<String> stable, List<String> canary) {
    return factory
        .metricTemplate(
            RouterMetric.HTTP_ERROR_RATE,
            Map.of(
                "address", "127.0.0.1:9999", "backend", "app", "stable", stable, "canary", canary))
        .orElseThrow();
  }

  @Test
  void eachSideCountsItsOwnServersAnswers() {
    RouterMetric m = metric(List.of("stable1"), List.of("canary1", "canary2"));
    assertThat(m.bad())
        .isEqualTo(
            "sum(increase(haproxy_server_http_responses_total{proxy=\"app\","
                + "server=~\"canary1|canary2\",code=\"5xx\"}[${window}]))");
    assertThat(m.total())
        .isEqualTo(
            "sum(increase(haproxy_server_http_responses_total{proxy=\"app\","
                + "server=~\"canary1|canary2\"}[${window}]))");
    assertThat(m.baselineBad()).contains("server=~\"stable1\"").contains("code=\"5xx\"");
    assertThat(m.baselineTotal()).contains("server=~\"stable1\"").doesNotContain("code");
    assertThat(m.provider()).isEqualTo("prometheus");
    // the ${window} the provider fills in is the only variable
    assertThat(QueryTemplate.variablesOf(m.bad())).containsExactly("window");
    assertThat(QueryTemplate.render(m.bad(), Map.of("window", "60s"), QueryLanguage.PROMQL))
        .contains("[60s]");
  }

  @Test
  void aDotInAServersNameMatchesOnlyADot() {
    RouterMetric m = metric(List.of("v1.a"), List.of("v2.a"));
    // the PromQL string "v2\\.a" is the regular expression v2\.a
    String regex = m.bad().replaceAll(".*server=~\"([^\"]*)\".*", "$1").replace("\\\\", "\\");
    assertThat(regex).isEqualTo("v2\\.a");
    assertThat(Pattern.matches(regex, "v2.a")).isTrue();
    assertThat(Pattern.matches(regex, "v2xa")).isFalse();
  }

  @Test
  void offersOnlyTheErrorRate() {
    assertThat(factory.metricTemplates()).containsExactly(RouterMetric.HTTP_ERROR_RATE);
    assertThat(
            factory.metricTemplate(
                "http-latency",
                Map.of(
                    "address", "127.0.0.1:9999", "backend", "app", "stable", "a", "canary", "b")))
        .isEmpty();
  }
}
