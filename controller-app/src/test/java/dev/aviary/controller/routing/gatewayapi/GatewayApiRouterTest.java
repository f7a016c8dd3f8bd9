package dev.aviary.controller.routing.gatewayapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.controller.routing.HeaderRoute;
import dev.aviary.controller.routing.RouterException;
import dev.aviary.controller.routing.Routes;
import dev.aviary.controller.routing.TrafficRouterContract;
import dev.aviary.controller.routing.TrafficRouterFactory;
import dev.aviary.controller.support.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against fabric8's Kubernetes mock API server in CRUD mode: a mock, because no Kubernetes cluster
 * can run here. It stores what the adapter writes; the tests assert the exact HTTPRoute stored.
 */
class GatewayApiRouterTest extends TrafficRouterContract {

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
  void route() {
    HTTPRoute route =
        new HTTPRouteBuilder()
            .withNewMetadata()
            .withName("checkout")
            .withNamespace("shop")
            .endMetadata()
            .withNewSpec()
            .addNewParentRef()
            .withName("public-gateway")
            .endParentRef()
            .addNewRule()
            .addNewMatch()
            .withNewPath()
            .withType("PathPrefix")
            .withValue("/checkout")
            .endPath()
            .endMatch()
            .addNewBackendRef()
            .withName("checkout-stable")
            .withPort(8080)
            .endBackendRef()
            .endRule()
            .addNewRule()
            .addNewBackendRef()
            .withName("static-assets")
            .withPort(80)
            .endBackendRef()
            .endRule()
            .endSpec()
            .build();
    client.resources(HTTPRoute.class).inNamespace("shop").resource(route).createOr(r -> r.update());
  }

  @Override
  protected TrafficRouterFactory factory() {
    return new GatewayApiRouterFactory((kubeconfig, context) -> client);
  }

  @Override
  protected Map<String, Object> settings() {
    return Map.of(
        "namespace",
        "shop",
        "route",
        "checkout",
        "stableService",
        "checkout-stable",
        "canaryService",
        "checkout-canary",
        "port",
        8080);
  }

  private HTTPRoute stored() {
    return client.resources(HTTPRoute.class).inNamespace("shop").withName("checkout").get();
  }

  private static String refs(List<HTTPBackendRef> refs) {
    return refs.stream()
        .map(r -> r.getName() + ":" + r.getPort() + "=" + r.getWeight())
        .toList()
        .toString();
  }

  @Test
  void writesWeightedBackendRefsOnlyOnTheRulesItOwns() {
    router().setCanaryWeight(20);
    HTTPRoute route = stored();
    assertThat(refs(route.getSpec().getRules().get(0).getBackendRefs()))
        .isEqualTo("[checkout-stable:8080=80, checkout-canary:8080=20]");
    assertThat(refs(route.getSpec().getRules().get(1).getBackendRefs()))
        .isEqualTo("[static-assets:80=null]");
    assertThat(route.getSpec().getRules().get(0).getMatches().get(0).getPath().getValue())
        .isEqualTo("/checkout");
    assertThat(route.getSpec().getParentRefs().get(0).getName()).isEqualTo("public-gateway");
  }

  @Test
  void rollbackRemovesTheCanaryBackendAndPromotionKeepsItAlone() {
    router().setCanaryWeight(50);
    router().finish(false);
    assertThat(refs(stored().getSpec().getRules().get(0).getBackendRefs()))
        .isEqualTo("[checkout-stable:8080=100]");
    router().finish(true);
    assertThat(refs(stored().getSpec().getRules().get(0).getBackendRefs()))
        .isEqualTo("[checkout-stable:8080=0, checkout-canary:8080=100]");
  }

  @Test
  void aMissingRouteOrStableServiceIsAFatalError() {
    var other =
        factory()
            .create(
                new dev.aviary.controller.routing.RouterTarget("p", null),
                Map.of(
                    "namespace",
                    "shop",
                    "route",
                    "nope",
                    "stableService",
                    "a",
                    "canaryService",
                    "b"));
    assertThatThrownBy(() -> other.setCanaryWeight(10))
        .isInstanceOf(RouterException.class)
        .hasMessageContaining("shop/nope does not exist");
    var wrongService =
        factory()
            .create(
                new dev.aviary.controller.routing.RouterTarget("p", null),
                Map.of(
                    "namespace",
                    "shop",
                    "route",
                    "checkout",
                    "stableService",
                    "payments",
                    "canaryService",
                    "b"));
    assertThatThrownBy(() -> wrongService.setCanaryWeight(10))
        .hasMessageContaining("no rule routing to Service payments");
  }

  private static String json(Object o) {
    return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(o);
  }

  @Test
  void headerAndCookieRoutesAreRulesOfTheirOwnBeforeTheOwnedRuleWithItsMatchesAndAMirrorFilter() {
    var router = router();
    router.setCanaryWeight(10);
    router.setRoutes(
        Routes.NONE
            .with(new HeaderRoute("testers", HeaderRoute.On.HEADER, "X-Canary", "always", null))
            .with(new HeaderRoute("beta", HeaderRoute.On.COOKIE, "beta", null, "1|yes"))
            .mirroring(5));
    List<HTTPRouteRule> rules = stored().getSpec().getRules();
    assertThat(rules)
        .extracting(HTTPRouteRule::getName)
        .containsExactly("aviary-testers", "aviary-beta", null, null);
    assertThat(json(rules.get(0)))
        .isEqualTo(
            "{\"backendRefs\":[{\"name\":\"checkout-canary\",\"port\":8080}],"
                + "\"matches\":[{\"headers\":[{\"name\":\"X-Canary\",\"type\":\"Exact\",\"value\":\"always\"}],"
                + "\"path\":{\"type\":\"PathPrefix\",\"value\":\"/checkout\"}}],\"name\":\"aviary-testers\"}");
    assertThat(rules.get(1).getMatches().get(0).getHeaders().get(0).getValue())
        .isEqualTo("(.*;[ ]*)?beta=(?:1|yes)(;.*)?");
    assertThat(rules.get(1).getMatches().get(0).getHeaders().get(0).getType())
        .isEqualTo("RegularExpression");
    assertThat(json(rules.get(2).getFilters()))
        .isEqualTo(
            "[{\"requestMirror\":{\"backendRef\":{\"name\":\"checkout-canary\",\"port\":8080},"
                + "\"percent\":5},\"type\":\"RequestMirror\"}]");
    assertThat(refs(rules.get(2).getBackendRefs()))
        .as("the weights are untouched")
        .isEqualTo("[checkout-stable:8080=90, checkout-canary:8080=10]");
    assertThat(rules.get(3).getFilters()).isNullOrEmpty();
    router.setCanaryWeight(30);
    assertThat(stored().getSpec().getRules()).hasSize(4);
    router.finish(true);
    assertThat(stored().getSpec().getRules()).hasSize(2);
    assertThat(stored().getSpec().getRules().get(0).getFilters()).isNullOrEmpty();
  }

  @Test
  void aReleaseToTheStableSlotRoutesToTheStableService() {
    var router = router();
    router.setRoutes(
        new Routes(
            List.of(new HeaderRoute("qa", HeaderRoute.On.HEADER, "X-Team", null, "qa-.*")),
            0,
            true));
    HTTPRouteRule rule = stored().getSpec().getRules().get(0);
    assertThat(refs(rule.getBackendRefs())).isEqualTo("[checkout-stable:8080=null]");
    router.setCanaryWeight(40);
    assertThat(refs(stored().getSpec().getRules().get(0).getBackendRefs()))
        .as("Aviary's own rule is not an owned rule, though it routes to the stable Service")
        .isEqualTo("[checkout-stable:8080=null]");
    router.finish(false);
  }

  @Test
  void stickySessionsAreTheGatewayApisSessionPersistenceOnTheOwnedRules() {
    Map<String, Object> sticky = new java.util.HashMap<>(settings());
    sticky.put("sticky", true);
    var router =
        factory().create(new dev.aviary.controller.routing.RouterTarget("p", null), sticky);
    router.setCanaryWeight(20);
    assertThat(json(stored().getSpec().getRules().get(0).getSessionPersistence()))
        .isEqualTo("{\"sessionName\":\"aviary-checkout\",\"type\":\"Cookie\"}");
    assertThat(stored().getSpec().getRules().get(1).getSessionPersistence()).isNull();
    router.finish(false);
  }
}
