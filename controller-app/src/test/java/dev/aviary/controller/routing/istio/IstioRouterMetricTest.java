package dev.aviary.controller.routing.istio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.analysis.metrics.QueryLanguage;
import dev.aviary.analysis.metrics.QueryTemplate;
import dev.aviary.controller.routing.RouterMetric;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Istio's ready-made metrics: Istio's standard metrics at the destination, the router's services in
 * their namespaces, each side by its version; a version that tries to leave its PromQL string stays
 * data.
 */
class IstioRouterMetricTest {

  private final IstioRouterFactory factory = new IstioRouterFactory((kubeconfig, context) -> null);

  private static Map<String, Object> router(String stableHost, String canaryHost) {
    return Map.of(
        "namespace",
        "shop",
        "virtualService",
        "checkout",
        "stable",
        Map.of("host", stableHost, "subset", "stable"),
        "canary",
        Map.of("host", canaryHost, "subset", "canary"));
  }

  @Test
  void errorsAndLatencyReadTheServicesAtTheDestinationByVersion() {
    RouterMetric errors =
        factory
            .metricTemplate(
                RouterMetric.HTTP_ERROR_RATE, router("checkout-primary", "checkout-canary.team-b"))
            .orElseThrow();
    String selector =
        "reporter=\"destination\",destination_service_namespace=~\"shop|team-b\","
            + "destination_service_name=~\"checkout-canary|checkout-primary\","
            + "destination_version=\"${version}\"";
    assertThat(errors.bad())
        .isEqualTo(
            "sum(increase(istio_requests_total{"
                + selector
                + ",response_code=~\"5..\"}[${window}]))");
    assertThat(errors.total())
        .isEqualTo("sum(increase(istio_requests_total{" + selector + "}[${window}]))");
    assertThat(errors.baselineBad()).isEqualTo(errors.bad());
    assertThat(errors.histogram()).isNull();
    RouterMetric latency =
        factory
            .metricTemplate(RouterMetric.HTTP_LATENCY, router("checkout", "checkout"))
            .orElseThrow();
    assertThat(latency.histogram())
        .isEqualTo(
            "sum by (le) (increase(istio_request_duration_milliseconds_bucket{"
                + "reporter=\"destination\",destination_service_namespace=~\"shop\","
                + "destination_service_name=~\"checkout\",destination_version=\"${version}\""
                + "}[${window}]))");
    assertThat(factory.metricTemplates())
        .containsExactlyInAnyOrder(RouterMetric.HTTP_ERROR_RATE, RouterMetric.HTTP_LATENCY);
  }

  @Test
  void aHostlessOrOddHostOffersNothingAndAVersionStaysInItsString() {
    assertThat(factory.metricTemplate(RouterMetric.HTTP_ERROR_RATE, router("a\"b", "c"))).isEmpty();
    assertThat(factory.metricTemplate("http-saturation", router("a", "b"))).isEmpty();
    String bad =
        factory.metricTemplate(RouterMetric.HTTP_ERROR_RATE, router("a", "b")).orElseThrow().bad();
    String rendered =
        QueryTemplate.render(
            bad, Map.of("version", "1\"} or vector(1) #", "window", "60s"), QueryLanguage.PROMQL);
    assertThat(rendered).contains("destination_version=\"1\\\"} or vector(1) #\"");
  }
}
