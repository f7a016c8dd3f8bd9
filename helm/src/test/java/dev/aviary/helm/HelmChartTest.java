package dev.aviary.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart through real Helm (helm-java embeds Helm's Go library): lint, render with default
 * values and with overrides, and parse what it renders; values that break values.schema.json are
 * refused.
 */
class HelmChartTest {

  private static final Path CHART = Path.of("aviary").toAbsolutePath();

  static List<Map<String, Object>> render(UnaryOperator<TemplateCommand> values) {
    String manifests =
        values
            .apply(new Helm(CHART).template().withName("aviary").withNamespace("delivery"))
            .call();
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(manifests)) {
      if (doc != null) {
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) doc;
        objects.add(object);
      }
    }
    return objects;
  }

  static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  static Map<String, Object> one(List<Map<String, Object>> objects, String kind) {
    List<Map<String, Object>> found = ofKind(objects, kind);
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }

  /** Walks nested maps and lists: {@code at(deployment, "spec", "template", "spec")}. */
  @SuppressWarnings("unchecked")
  static <T> T at(Object node, Object... path) {
    Object current = node;
    for (Object step : path) {
      current =
          step instanceof Integer i
              ? ((List<Object>) current).get(i)
              : ((Map<String, Object>) current).get(step);
    }
    return (T) current;
  }

  static Map<String, Object> container(List<Map<String, Object>> objects) {
    return at(one(objects, "Deployment"), "spec", "template", "spec", "containers", 0);
  }

  private static Optional<Map<String, Object>> env(Map<String, Object> container, String name) {
    List<Map<String, Object>> env = at(container, "env");
    return env.stream().filter(e -> name.equals(e.get("name"))).findFirst();
  }

  /** A field of the secretKeyRef an environment variable is read from. */
  private static Object secretRef(Map<String, Object> container, String variable, String field) {
    return at(env(container, variable).orElseThrow(), "valueFrom", "secretKeyRef", field);
  }

  @Test
  void lintPassesStrictly() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void defaultsRenderTwoReplicasWithProbesAnExistingSecretAndMinimalRbac() {
    List<Map<String, Object>> objects = render(t -> t);
    assertThat(objects.stream().map(o -> (String) o.get("kind")))
        .containsExactlyInAnyOrder(
            "ServiceAccount",
            "ConfigMap",
            "Service",
            "Deployment",
            "Role",
            "RoleBinding",
            "PodDisruptionBudget");

    Map<String, Object> deployment = one(objects, "Deployment");
    assertThat((Integer) at(deployment, "spec", "replicas")).isEqualTo(2);
    Map<String, Object> c = container(objects);
    assertThat((String) at(c, "image")).isEqualTo("ghcr.io/aviary-dev/aviary:0.1.0");
    assertThat((String) at(c, "livenessProbe", "httpGet", "path"))
        .isEqualTo("/actuator/health/liveness");
    assertThat((String) at(c, "readinessProbe", "httpGet", "path"))
        .isEqualTo("/actuator/health/readiness");
    assertThat((String) at(c, "startupProbe", "httpGet", "path"))
        .isEqualTo("/actuator/health/liveness");
    Map<String, Object> requests = at(c, "resources", "requests");
    assertThat(requests).containsKeys("cpu", "memory");
    assertThat((Boolean) at(c, "securityContext", "readOnlyRootFilesystem")).isTrue();

    assertThat(env(c, "AVIARY_DB_URL").orElseThrow().get("value"))
        .isEqualTo("jdbc:postgresql://postgresql:5432/aviary");
    assertThat((String) secretRef(c, "AVIARY_DB_PASSWORD", "name")).isEqualTo("aviary-database");
    // an existing Secret may carry the bootstrap token and the encryption key: both optional
    assertThat((Boolean) secretRef(c, "AVIARY_BOOTSTRAP_TOKEN", "optional")).isTrue();
    assertThat((Boolean) secretRef(c, "AVIARY_ENCRYPTION_KEY", "optional")).isTrue();
    assertThat(ofKind(objects, "Secret")).isEmpty();

    Map<String, Object> role = one(objects, "Role");
    assertThat((String) at(role, "metadata", "namespace")).isEqualTo("delivery");
    List<Map<String, Object>> rules = at(role, "rules");
    assertThat(rules)
        .containsExactly(
            Map.of(
                "apiGroups", List.of("gateway.networking.k8s.io"),
                "resources", List.of("httproutes"),
                "verbs", List.of("get", "patch")),
            Map.of(
                "apiGroups", List.of("networking.istio.io"),
                "resources", List.of("virtualservices"),
                "verbs", List.of("get", "patch")));
    assertThat((String) at(one(objects, "RoleBinding"), "subjects", 0, "name")).isEqualTo("aviary");
    assertThat((Integer) at(one(objects, "PodDisruptionBudget"), "spec", "minAvailable"))
        .isEqualTo(1);

    String config = at(one(objects, "ConfigMap"), "data", "application.yaml");
    Map<String, Object> app = new Yaml().load(config);
    assertThat((String) at(app, "aviary", "security", "metrics-endpoint")).isEqualTo("public");
    assertThat((Integer) at(app, "spring", "datasource", "hikari", "maximum-pool-size"))
        .isEqualTo(10);
  }

  @Test
  void overridesRenderWhatTheySay() {
    List<Map<String, Object>> objects =
        render(
            t ->
                t.set("replicaCount", 3)
                    .set("database.url", "jdbc:postgresql://db.internal:5432/delivery")
                    .set("database.password", "pw-from-values")
                    .set("security.bootstrapToken", "avy_0123456789abcdef0123456789abcdef01")
                    .set("rbac.clusterWide", true)
                    .set("rbac.istio", false)
                    .set("ingress.enabled", true)
                    .set("serviceMonitor.enabled", true)
                    .set("security.oidc.issuerUri", "https://sso.example.com/realms/platform")
                    .set("config.aviary.scheduler.dispatchers", 4));
    assertThat((Integer) at(one(objects, "Deployment"), "spec", "replicas")).isEqualTo(3);
    Map<String, Object> c = container(objects);
    assertThat(env(c, "AVIARY_DB_URL").orElseThrow().get("value"))
        .isEqualTo("jdbc:postgresql://db.internal:5432/delivery");
    // the chart made the Secret; only the keys it holds are referenced
    Map<String, Object> secret = one(objects, "Secret");
    Map<String, Object> data = at(secret, "data");
    assertThat(data).containsOnlyKeys("database-password", "bootstrap-token");
    assertThat((String) secretRef(c, "AVIARY_DB_PASSWORD", "name")).isEqualTo("aviary");
    assertThat((Boolean) secretRef(c, "AVIARY_BOOTSTRAP_TOKEN", "optional")).isFalse();
    assertThat(env(c, "AVIARY_ENCRYPTION_KEY")).isEmpty();
    assertThat(ofKind(objects, "Role")).isEmpty();
    List<Map<String, Object>> rules = at(one(objects, "ClusterRole"), "rules");
    assertThat(rules).hasSize(1);
    List<String> resources = at(rules.get(0), "resources");
    assertThat(resources).containsExactly("httproutes");
    assertThat((String) at(one(objects, "ClusterRoleBinding"), "subjects", 0, "namespace"))
        .isEqualTo("delivery");
    assertThat((String) at(one(objects, "Ingress"), "spec", "rules", 0, "host"))
        .isEqualTo("aviary.example.com");
    assertThat((String) at(one(objects, "ServiceMonitor"), "spec", "endpoints", 0, "path"))
        .isEqualTo("/actuator/prometheus");
    Map<String, Object> app =
        new Yaml().load((String) at(one(objects, "ConfigMap"), "data", "application.yaml"));
    assertThat((String) at(app, "aviary", "security", "oidc", "issuer-uri"))
        .isEqualTo("https://sso.example.com/realms/platform");
    assertThat((Integer) at(app, "aviary", "scheduler", "dispatchers")).isEqualTo(4);
  }

  @Test
  void namespacedRbacCoversEveryListedNamespaceAndOneReplicaHasNoBudget() {
    List<Map<String, Object>> objects =
        render(
            t ->
                t.set("replicaCount", 1)
                    .set("rbac.namespaces[0]", "shop")
                    .set("rbac.namespaces[1]", "search"));
    assertThat(ofKind(objects, "Role").stream().map(r -> (String) at(r, "metadata", "namespace")))
        .containsExactlyInAnyOrder("shop", "search");
    assertThat(ofKind(objects, "RoleBinding")).hasSize(2);
    assertThat(ofKind(objects, "PodDisruptionBudget")).isEmpty();
  }

  @Test
  void valuesThatBreakTheSchemaAreRefused() throws Exception {
    Path bad = Files.createTempFile("bad-values", ".yaml");
    Files.writeString(
        bad,
        """
        replicaCount: 0
        database:
          url: mysql://db:3306/aviary
        security:
          metricsEndpoint: open
          bootstrapToken: hunter2
        serviceMonitr:
          enabled: true
        """);
    assertThatThrownBy(() -> render(t -> t.withValuesFile(bad)))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("replicaCount")
        .hasMessageContaining("database.url")
        .hasMessageContaining("metricsEndpoint")
        .hasMessageContaining("bootstrapToken")
        .hasMessageContaining("serviceMonitr");
  }
}
