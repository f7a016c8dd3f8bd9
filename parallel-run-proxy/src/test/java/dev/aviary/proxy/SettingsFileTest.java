package dev.aviary.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsFileTest {

  @Test
  void readsEverySettingAndTheTokenFromTheEnvironment() {
    ProxySettings s =
        SettingsFile.parse(
            """
            listen: 8080
            primary: http://127.0.0.1:8081
            candidate: http://127.0.0.1:8082
            secondary: http://127.0.0.1:8083
            sample: 0.5
            candidateTimeout: 500ms
            safeToRepeat: [POST /api/preview/*]
            routes: [{name: quote, route: GET /api/quote}]
            compare: {ignorePaths: [$.debug], numericTolerance: 0.01, headers: [ETag]}
            controller: {url: http://127.0.0.1:9000, plan: checkout, tokenEnv: AVIARY_TOKEN}
            """,
            Map.of("AVIARY_TOKEN", "secret-token")::get);
    assertThat(s.sample()).isEqualTo(0.5);
    assertThat(s.candidateTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.safeToRepeat().get(0).matches("POST", "/api/preview/7")).isTrue();
    assertThat(s.safeToRepeat().get(0).matches("POST", "/api/preview/7/x")).isFalse();
    assertThat(s.safeToRepeat().get(0).matches("GET", "/api/preview/7")).isFalse();
    assertThat(s.routes().get(0).name()).isEqualTo("quote");
    assertThat(s.compare().headers()).containsExactly("etag");
    assertThat(s.controller()).isNotNull();
    assertThat(s.controller().token()).isEqualTo("secret-token");
    assertThat(s.controller().toString()).doesNotContain("secret-token");
  }

  @Test
  void namesEveryBadFieldAtOnceAndRefusesAPlainTextToken() {
    assertThatThrownBy(
            () ->
                SettingsFile.parse(
                    """
                    primary: ftp://x
                    sample: 2
                    candidateTimeout: soon
                    routes: [GET]
                    compare: {ignorePaths: [price]}
                    controller: {url: http://c, plan: p, token: abc}
                    colour: blue
                    """,
                    name -> null))
        .hasMessageContaining("primary: must be an http:// or https:// URL")
        .hasMessageContaining("candidate: required")
        .hasMessageContaining("sample: must be a number from 0 to 1")
        .hasMessageContaining("candidateTimeout: must be a positive duration")
        .hasMessageContaining("routes[0]: a route is a method and a path")
        .hasMessageContaining("compare.ignorePaths: a field path starts with $")
        .hasMessageContaining("controller.token: never write a token here")
        .hasMessageContaining("colour: unknown setting");
  }

  @Test
  void templatesIdsInPathsSoOneEndpointIsOneName() {
    assertThat(
            ParallelRunProxy.templated(
                "/api/orders/123/items/9f0c6a52-1b2c-4d5e-8f90-1234567890ab"))
        .isEqualTo("/api/orders/{id}/items/{id}");
    assertThat(ParallelRunProxy.templated("/")).isEqualTo("/");
    assertThat(ParallelRunProxy.templated("/api/quote")).isEqualTo("/api/quote");
  }
}
