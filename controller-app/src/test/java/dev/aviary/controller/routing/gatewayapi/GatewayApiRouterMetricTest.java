package dev.aviary.controller.routing.gatewayapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.controller.routing.RouterMetric;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Gateway API router's ready-made metrics come from the implementation it names: Contour's
 * Envoy cluster statistics per Service, or Istio's standard metrics; with none named, none.
 */
class GatewayApiRouterMetricTest {

  private final GatewayApiRouterFactory factory =
      new GatewayApiRouterFactory((kubeconfig, context) -> null);

  private static Map<String, Object> router(String implementation, Integer port) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("namespace", "shop");
    r.put("route", "checkout");
    r.put("stableService", "checkout-stable");
    r.put("canaryService", "checkout-canary");
    if (port != null) {
      r.put("port", port);
    }
    if (implementation != null) {
      r.put("implementation", implementation);
    }
    return r;
  }

  @Test
  void onContourEachSideIsItsServicesEnvoyCluster() {
    RouterMetric m =
        factory.metricTemplate(RouterMetric.HTTP_ERROR_RATE, router("contour", 8080)).orElseThrow();
    assertThat(m.bad())
        .isEqualTo(
            "sum(increase(envoy_cluster_upstream_rq{envoy_cluster_name=~\"shop_checkout-canary_8080\","
                + "envoy_response_code=~\"5..\"}[${window}]))");
    assertThat(m.total())
        .isEqualTo(
            "sum(increase(envoy_cluster_upstream_rq{envoy_cluster_name=~\"shop_checkout-canary_8080\"}"
                + "[${window}]))");
    assertThat(m.baselineBad()).contains("shop_checkout-stable_8080", "envoy_response_code");
    assertThat(
            factory
                .metricTemplate(RouterMetric.HTTP_ERROR_RATE, router("contour", null))
                .orElseThrow()
                .total())
        .contains("shop_checkout-canary_[0-9a-zA-Z-]+");
    RouterMetric latency =
        factory.metricTemplate(RouterMetric.HTTP_LATENCY, router("contour", 8080)).orElseThrow();
    assertThat(latency.histogram())
        .isEqualTo(
            "sum by (le) (increase(envoy_cluster_upstream_rq_time_bucket{"
                + "envoy_cluster_name=~\"shop_checkout-canary_8080\"}[${window}]))");
    assertThat(latency.baselineHistogram()).contains("shop_checkout-stable_8080");
    assertThat(factory.metricTemplateRefusal(RouterMetric.HTTP_LATENCY, router("contour", 8080)))
        .isEmpty();
  }

  @Test
  void onIstioBothServicesAreReadByVersionAndWithoutAnImplementationNothingIs() {
    RouterMetric latency =
        factory.metricTemplate(RouterMetric.HTTP_LATENCY, router("istio", 8080)).orElseThrow();
    assertThat(latency.histogram())
        .contains(
            "istio_request_duration_milliseconds_bucket{reporter=\"destination\","
                + "destination_service_namespace=~\"shop\","
                + "destination_service_name=~\"checkout-canary|checkout-stable\","
                + "destination_version=\"${version}\"}");
    assertThat(factory.metricTemplate(RouterMetric.HTTP_ERROR_RATE, router(null, 8080))).isEmpty();
    assertThat(factory.metricTemplateRefusal(RouterMetric.HTTP_ERROR_RATE, router(null, 8080)))
        .hasValueSatisfying(why -> assertThat(why).contains("set \"implementation\""));
    assertThat(GatewayApiRouterFactory.read(router("envoy-gateway", 8080)).violations())
        .extracting(v -> v.field())
        .containsExactly("implementation");
  }
}
