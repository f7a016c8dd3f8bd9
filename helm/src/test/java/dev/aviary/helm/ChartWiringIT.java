package dev.aviary.helm;

import static dev.aviary.helm.HelmChartTest.at;
import static dev.aviary.helm.HelmChartTest.container;
import static dev.aviary.helm.HelmChartTest.one;
import static dev.aviary.helm.HelmChartTest.render;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.testing.ControllerProcess;
import dev.aviary.testing.FreePorts;
import dev.aviary.testing.HttpProbe;
import dev.aviary.testing.TestPostgres;
import dev.aviary.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the chart renders starts Aviary as configured: the Deployment's environment (values resolved
 * from the rendered Secret as the kubelet would) and the ConfigMap's application.yaml (mounted at
 * the path SPRING_CONFIG_ADDITIONAL_LOCATION names) given to the packaged controller as a real
 * process. No cluster runs here; this is the part of a pod that can be checked without one.
 */
class ChartWiringIT {

  @Test
  void theRenderedEnvironmentAndConfigStartTheControllerAsConfigured() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase();
    Path work = Files.createTempDirectory("aviary-chart-wiring");
    Path values = work.resolve("values.yaml");
    Files.writeString(
        values,
        """
        database:
          url: "%s"
          username: "%s"
          password: "%s"
        security:
          bootstrapToken: "%s"
          encryptionKey: "%s"
          metricsEndpoint: authenticated
          mutationsPerMinute: 77
        """
            .formatted(
                db.jdbcUrl(),
                db.username(),
                db.password(),
                TestTokens.ADMIN,
                TestTokens.ENCRYPTION_KEY));
    List<Map<String, Object>> objects = render(t -> t.withValuesFile(values));
    Map<String, Object> container = container(objects);
    Map<String, Object> secret = one(objects, "Secret");

    // the pod's environment, as the kubelet would resolve it
    Map<String, String> env = new LinkedHashMap<>();
    List<Map<String, Object>> declared = at(container, "env");
    for (Map<String, Object> e : declared) {
      String name = (String) e.get("name");
      if (e.containsKey("value")) {
        env.put(name, (String) e.get("value"));
      } else {
        String key = at(e, "valueFrom", "secretKeyRef", "key");
        String encoded = at(secret, "data", key);
        env.put(name, new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
      }
    }
    // the ConfigMap, mounted where the chart mounts it, here under a temporary directory
    String mountPath = at(container, "volumeMounts", 0, "mountPath");
    assertThat(mountPath).isEqualTo("/config");
    Path config = Files.createDirectories(work.resolve("config"));
    Files.writeString(
        config.resolve("application.yaml"),
        (String) at(one(objects, "ConfigMap"), "data", "application.yaml"));
    assertThat(env.get("SPRING_CONFIG_ADDITIONAL_LOCATION")).isEqualTo("optional:file:/config/");
    env.put("SPRING_CONFIG_ADDITIONAL_LOCATION", "optional:file:" + config + "/");
    // the chart points the generated-token file at /tmp, the container's only writable place
    env.put("AVIARY_BOOTSTRAP_TOKEN_FILE", work.resolve("admin-token").toString());

    try (ControllerProcess pod =
        ControllerProcess.start(FreePorts.next(), Map.of(), env, work, "pod")) {
      String readiness = at(container, "readinessProbe", "httpGet", "path");
      String liveness = at(container, "livenessProbe", "httpGet", "path");
      assertThat(HttpProbe.status(pod.url() + readiness)).isEqualTo(200);
      assertThat(HttpProbe.status(pod.url() + liveness)).isEqualTo(200);
      // metricsEndpoint: authenticated reached the controller
      assertThat(HttpProbe.status(pod.url() + "/actuator/prometheus")).isEqualTo(401);
      // the bootstrap token and encryption key came from the Secret, the rest from the ConfigMap
      String settings = get(pod.url() + "/api/v1/settings", TestTokens.ADMIN);
      assertThat(settings)
          .contains("\"bootstrapTokenConfigured\":true")
          .contains("\"encryptionKeyConfigured\":true")
          .contains("\"metricsEndpoint\":\"authenticated\"")
          .contains("\"mutationsPerMinute\":77");
      assertThat(pod.output()).doesNotContain(TestTokens.ADMIN);
    }
  }

  private static String get(String url, String token) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }
}
