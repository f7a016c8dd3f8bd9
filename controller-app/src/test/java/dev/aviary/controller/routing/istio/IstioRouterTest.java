package dev.aviary.controller.routing.istio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.controller.routing.HeaderRoute;
import dev.aviary.controller.routing.Routes;
import dev.aviary.controller.routing.TrafficRouterContract;
import dev.aviary.controller.routing.TrafficRouterFactory;
import dev.aviary.controller.support.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Against fabric8's Kubernetes mock API server in CRUD mode: a mock, because no Kubernetes cluster
 * (nor Istio) can run here. The tests assert the exact VirtualService stored.
 */
class IstioRouterTest extends TrafficRouterContract {

  static KubernetesMockApi api;
  static KubernetesClient client;

  @BeforeAll
  static void startMockApiServer() {
    api = new KubernetesMockApi();
    client = api.client();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @BeforeEach
  void virtualService() {
    GenericKubernetesResource vs =
        new GenericKubernetesResourceBuilder()
            .withApiVersion(IstioRouterFactory.API_VERSION)
            .withKind("VirtualService")
            .withNewMetadata()
            .withName("checkout")
            .withNamespace("shop")
            .endMetadata()
            .addToAdditionalProperties(
                "spec",
                Map.of(
                    "hosts", List.of("checkout.shop.svc.cluster.local"),
                    "http",
                        List.of(
                            Map.of(
                                "name",
                                "primary",
                                "route",
                                List.of(
                                    Map.of(
                                        "destination",
                                        Map.of(
                                            "host",
                                            "checkout",
                                            "subset",
                                            "stable",
                                            "port",
                                            Map.of("number", 8080))))),
                            Map.of(
                                "name",
                                "admin",
                                "route",
                                List.of(Map.of("destination", Map.of("host", "checkout-admin")))))))
            .build();
    client
        .genericKubernetesResources(IstioRouterFactory.VIRTUAL_SERVICE)
        .inNamespace("shop")
        .resource(vs)
        .createOr(r -> r.update());
  }

  @Override
  protected TrafficRouterFactory factory() {
    return new IstioRouterFactory((kubeconfig, context) -> client);
  }

  @Override
  protected Map<String, Object> settings() {
    return Map.of(
        "namespace",
        "shop",
        "virtualService",
        "checkout",
        "stable",
        Map.of("host", "checkout", "subset", "stable"),
        "canary",
        Map.of("host", "checkout", "subset", "canary"));
  }

  /** JSON trees compare without regard to key order. */
  private static tools.jackson.databind.JsonNode json(String text) {
    return JsonMapper.builder().build().readTree(text);
  }

  private tools.jackson.databind.JsonNode httpJson(int index) {
    return json(http(index));
  }

  private String http(int index) {
    GenericKubernetesResource vs =
        client
            .genericKubernetesResources(IstioRouterFactory.VIRTUAL_SERVICE)
            .inNamespace("shop")
            .withName("checkout")
            .get();
    Object route =
        ((List<?>) ((Map<?, ?>) vs.getAdditionalProperties().get("spec")).get("http")).get(index);
    return JsonMapper.builder().build().writeValueAsString(route);
  }

  @Test
  void writesWeightedDestinationsOnlyOnTheRoutesItOwns() {
    router().setCanaryWeight(20);
    assertThat(httpJson(0))
        .isEqualTo(
            json(
                "{\"name\":\"primary\",\"route\":[{\"destination\":{\"host\":\"checkout\",\"subset\":\"stable\",\"port\":{\"number\":8080}},\"weight\":80},"
                    + "{\"destination\":{\"host\":\"checkout\",\"subset\":\"canary\",\"port\":{\"number\":8080}},\"weight\":20}]}"));
    assertThat(httpJson(1))
        .isEqualTo(
            json(
                "{\"name\":\"admin\",\"route\":[{\"destination\":{\"host\":\"checkout-admin\"}}]}"));
  }

  @Test
  void rollbackRemovesTheCanaryDestinationAgain() {
    router().setCanaryWeight(60);
    router().finish(false);
    assertThat(httpJson(0))
        .isEqualTo(
            json(
                "{\"name\":\"primary\",\"route\":[{\"destination\":{\"host\":\"checkout\",\"subset\":\"stable\",\"port\":{\"number\":8080}},\"weight\":100}]}"));
  }

  @Test
  void headerAndCookieRoutesComeBeforeTheOwnedRouteAndTheMirrorSitsOnIt() {
    var router = router();
    router.setCanaryWeight(10);
    router.setRoutes(
        Routes.NONE
            .with(new HeaderRoute("testers", HeaderRoute.On.HEADER, "X-Canary", null, "al.*"))
            .with(new HeaderRoute("beta", HeaderRoute.On.COOKIE, "beta", "1", null))
            .mirroring(5));
    assertThat(httpJson(0))
        .isEqualTo(
            json(
                "{\"name\":\"aviary-testers\",\"match\":[{\"headers\":{\"x-canary\":{\"regex\":\"al.*\"}}}],"
                    + "\"route\":[{\"destination\":{\"host\":\"checkout\",\"subset\":\"canary\",\"port\":{\"number\":8080}}}]}"));
    assertThat(httpJson(1).get("match").get(0).get("headers").get("cookie").get("regex").asString())
        .isEqualTo("(.*;[ ]*)?beta=(?:1)(;.*)?");
    assertThat(httpJson(2).get("name").asString()).isEqualTo("primary");
    assertThat(httpJson(2).get("mirror"))
        .isEqualTo(
            json("{\"host\":\"checkout\",\"subset\":\"canary\",\"port\":{\"number\":8080}}"));
    assertThat(httpJson(2).get("mirrorPercentage").get("value").asDouble()).isEqualTo(5.0);
    assertThat(httpJson(2).get("route").get(1).get("weight").asInt())
        .as("the weights are untouched")
        .isEqualTo(10);
    assertThat(httpJson(3).get("name").asString()).isEqualTo("admin");
    router.finish(false);
    assertThat(httpJson(0).get("name").asString()).isEqualTo("primary");
    assertThat(httpJson(0).has("mirror")).isFalse();
    assertThat(httpJson(1).get("name").asString()).isEqualTo("admin");
  }
}
