package dev.aviary.controller.routing.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.controller.routing.RouterMetric;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * nginx's {@code http-error-rate}: the VTS module's per-server counts of the upstream's canary
 * servers against its stable servers — each server matched as written, a dot only by a dot.
 */
class NginxRouterMetricTest {

  private final NginxRouterFactory factory = new NginxRouterFactory();

  private static Map<String, Object> router(List<String> stable, List<String> canary) {
    return Map.of(
        "upstream",
        "checkout",
        "includeFile",
        "/etc/nginx/aviary/checkout.conf",
        "stable",
        stable,
        "canary",
        canary,
        "mainConfig",
        "/etc/nginx/nginx.conf",
        "pidFile",
        "/run/nginx.pid");
  }

  @Test
  void eachSideCountsItsOwnServersAnswersFromVts() {
    RouterMetric m =
        factory
            .metricTemplate(
                RouterMetric.HTTP_ERROR_RATE,
                router(List.of("10.0.0.1:8080"), List.of("10.0.0.2:8080", "10.0.0.3:8080")))
            .orElseThrow();
    String canary =
        "upstream=~\"checkout(__stable|__canary)?\",backend=~\"10\\\\.0\\\\.0\\\\.2:8080|10\\\\.0\\\\.0\\\\.3:8080\"";
    assertThat(m.bad())
        .isEqualTo(
            "sum(increase(nginx_vts_upstream_requests_total{"
                + canary
                + ",code=\"5xx\"}[${window}]))");
    assertThat(m.total())
        .isEqualTo("sum(increase(nginx_vts_upstream_requests_total{" + canary + "}[${window}]))");
    assertThat(m.baselineBad()).contains("backend=~\"10\\\\.0\\\\.0\\\\.1:8080\"", "code=\"5xx\"");
    assertThat(m.baselineTotal()).doesNotContain("code");
    // the PromQL string "10\\.0\\.0\\.2:8080" is the regular expression 10\.0\.0\.2:8080
    String regex = m.bad().replaceAll(".*backend=~\"([^|\"]*).*", "$1").replace("\\\\", "\\");
    assertThat(Pattern.matches(regex, "10.0.0.2:8080")).isTrue();
    assertThat(Pattern.matches(regex, "10a0b0c2:8080")).isFalse();
  }

  @Test
  void latencyIsEachGroupsVtsHistogram() {
    RouterMetric m =
        factory
            .metricTemplate(
                RouterMetric.HTTP_LATENCY,
                router(List.of("10.0.0.1:8080"), List.of("10.0.0.2:8080")))
            .orElseThrow();
    assertThat(m.histogram())
        .isEqualTo(
            "sum by (le) (increase(nginx_vts_upstream_response_duration_seconds_bucket{"
                + "upstream=~\"checkout(__stable|__canary)?\",backend=~\"10\\\\.0\\\\.0\\\\.2:8080\"}[${window}]))");
    assertThat(m.baselineHistogram()).contains("backend=~\"10\\\\.0\\\\.0\\\\.1:8080\"");
  }

  @Test
  void unixSocketsAndOtherNamesOfferNothing() {
    assertThat(
            factory.metricTemplate(
                RouterMetric.HTTP_ERROR_RATE,
                router(List.of("unix:/run/a\".sock"), List.of("10.0.0.2:8080"))))
        .isEmpty();
    assertThat(
            factory.metricTemplate(
                "http-saturation", router(List.of("10.0.0.1:8080"), List.of("b:1"))))
        .isEmpty();
    assertThat(factory.metricTemplates())
        .containsExactlyInAnyOrder(RouterMetric.HTTP_ERROR_RATE, RouterMetric.HTTP_LATENCY);
  }
}
