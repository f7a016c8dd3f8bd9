package dev.aviary.bench;

import dev.aviary.examples.SampleService;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The sample service's {@code GET /api/quote} on a non-blocking server, byte for byte the same
 * answer (a price, a timestamp, a random id): an upstream fast enough that the benchmark measures
 * the proxy, not the JDK's thread-per-request server in front of it.
 */
final class QuoteServer implements AutoCloseable {

  private final DisposableServer server;

  QuoteServer(double fieldBug) {
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(
                r ->
                    r.get(
                        "/api/quote",
                        (req, res) -> {
                          String q = req.uri().replaceFirst(".*item=", "");
                          long item = q.matches("\\d+") ? Long.parseLong(q) : 0;
                          long cents =
                              SampleService.price(item)
                                  + (SampleService.buggy(item, fieldBug) ? 1 : 0);
                          String body =
                              "{\"item\":"
                                  + item
                                  + ",\"price\":{\"amount\":"
                                  + cents / 100
                                  + "."
                                  + String.format(Locale.ROOT, "%02d", cents % 100)
                                  + ",\"currency\":\"EUR\"},\"servedAt\":\""
                                  + Instant.now()
                                  + "\",\"requestId\":\""
                                  + UUID.randomUUID()
                                  + "\"}";
                          return res.header("Content-Type", "application/json")
                              .sendString(Mono.just(body));
                        }))
            .bindNow(Duration.ofSeconds(10));
  }

  int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}
