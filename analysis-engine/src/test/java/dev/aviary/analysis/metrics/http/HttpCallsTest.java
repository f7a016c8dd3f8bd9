package dev.aviary.analysis.metrics.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.analysis.RetryableAnalysisException;
import dev.aviary.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Failures on the way to a backend are told in words a release engineer can act on. */
class HttpCallsTest {

  @Test
  void aPortNobodyListensOnIsConnectionRefusedWithTheHostAndPortNotAnExceptionName() {
    int port = FreePorts.next();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query"))
            .timeout(Duration.ofSeconds(5))
            .build();
    assertThatThrownBy(
            () -> HttpCalls.send(HttpCalls.newClient(Duration.ofSeconds(5)), request, "prometheus"))
        .isInstanceOf(RetryableAnalysisException.class)
        .hasMessage("cannot reach prometheus at 127.0.0.1:" + port + ": connection refused");
  }

  @Test
  void aNameThatDoesNotResolveSaysSo() {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://no-such-host.invalid/api/v1/query"))
            .timeout(Duration.ofSeconds(5))
            .build();
    assertThatThrownBy(
            () -> HttpCalls.send(HttpCalls.newClient(Duration.ofSeconds(5)), request, "prometheus"))
        .isInstanceOf(RetryableAnalysisException.class)
        .message()
        .startsWith("cannot reach prometheus at no-such-host.invalid: ")
        .satisfies(m -> assertThat(m).doesNotContain("Exception"));
  }
}
