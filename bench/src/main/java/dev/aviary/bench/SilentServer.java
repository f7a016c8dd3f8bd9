package dev.aviary.bench;

import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A candidate that accepts every request and never answers; a connection is released when the proxy
 * gives up on it, so a long run holds only what the proxy holds.
 */
final class SilentServer implements AutoCloseable {

  private final DisposableServer server =
      HttpServer.create()
          .host("127.0.0.1")
          .port(0)
          .handle((req, res) -> Mono.never())
          .bindNow(Duration.ofSeconds(10));

  int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}
