package dev.aviary.proxy;

import dev.aviary.parallelrun.compare.Differ;
import dev.aviary.parallelrun.compare.Observed;
import dev.aviary.parallelrun.report.ComparisonReport;
import dev.aviary.parallelrun.tally.Tally;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.ReadTimeoutException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.util.retry.Retry;

/**
 * The comparing proxy. Each caller's request goes to the primary, and the primary's response goes
 * back unchanged and streamed — status, headers, body, errors — without ever waiting for the
 * candidate. A sampled share of requests is also sent, as a copy marked {@value #MIRROR_HEADER}, to
 * the candidate and, when configured, the secondary; once all answers are in, a separate thread
 * compares them and counts the differences by endpoint and field path.
 *
 * <p>Side effects: only GET, HEAD and OPTIONS are copied, and requests with another method only on
 * routes listed as safe to repeat. Bounds: the sample, a rate limit, a body size, a candidate
 * timeout, a cap on mirrored exchanges in flight and a bounded comparison queue; past any of them a
 * request is counted as skipped, never queued, so a slow or dead candidate costs callers nothing.
 */
public final class ParallelRunProxy implements AutoCloseable {

  public static final String MIRROR_HEADER = "Aviary-Parallel-Run";
  private static final Logger log = LoggerFactory.getLogger(ParallelRunProxy.class);
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host");
  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
  private static final byte[] EMPTY = new byte[0];

  private final ProxySettings settings;
  private final HttpClient primary;
  private final HttpClient candidate;
  private final @Nullable HttpClient secondary;
  private final ConnectionProvider primaryPool;
  private final ConnectionProvider mirrorPool;
  private final LoopResources mirrorLoop;
  private final Differ differ;
  private final Redactor redactor;
  private final Tally tally;
  private final Tally total;
  private final ProxyMetrics metrics;
  private final RateLimiter limiter;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ThreadPoolExecutor comparer;
  private final Clock clock;
  private volatile double sample;
  private @Nullable DisposableServer server;

  public ParallelRunProxy(ProxySettings settings, String source, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.sample = settings.controller() == null ? settings.sample() : 0;
    this.primaryPool =
        ConnectionProvider.builder("primary")
            .maxConnections(2048)
            .pendingAcquireMaxCount(-1)
            .build();
    this.mirrorPool =
        ConnectionProvider.builder("mirror")
            .maxConnections(settings.maxInFlight() * 2)
            .pendingAcquireMaxCount(settings.maxInFlight() * 2)
            .pendingAcquireTimeout(settings.candidateTimeout())
            .build();
    // copies run on an event loop of their own: a slow or busy candidate never delays the loops
    // that carry callers' requests and the primary's answers
    this.mirrorLoop = LoopResources.create("aviary-mirror", 1, true);
    this.primary = client(primaryPool, settings.primary(), settings.primaryTimeout());
    this.candidate =
        client(mirrorPool, settings.candidate(), settings.candidateTimeout()).runOn(mirrorLoop);
    URI s = settings.secondary();
    this.secondary =
        s == null ? null : client(mirrorPool, s, settings.candidateTimeout()).runOn(mirrorLoop);
    this.differ = new Differ(settings.compare());
    this.redactor = new Redactor(settings.redactHeaders(), settings.redactFields());
    this.tally = new Tally(source, clock);
    this.total = new Tally(source, clock);
    this.metrics = new ProxyMetrics();
    this.limiter = new RateLimiter(settings.rateLimit(), System::nanoTime);
    AtomicInteger n = new AtomicInteger();
    this.comparer =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            // exchanges waiting to be compared, at most; more are skipped
            new ArrayBlockingQueue<>(settings.maxInFlight()),
            r -> {
              Thread t = new Thread(r, "aviary-compare-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    metrics.sample.set(sample);
  }

  private static HttpClient client(ConnectionProvider pool, URI base, Duration timeout) {
    String b = base.toString().replaceAll("/+$", "");
    return HttpClient.create(pool)
        .baseUrl(b)
        .responseTimeout(timeout)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(timeout.toMillis(), 5000));
  }

  /** Listens on the configured port (0: any free port). */
  public ParallelRunProxy start() {
    server =
        HttpServer.create()
            .host("0.0.0.0")
            .port(settings.listen())
            .handle(this::handle)
            .bindNow(Duration.ofSeconds(10));
    return this;
  }

  public int port() {
    DisposableServer s = server;
    if (s == null) {
      throw new IllegalStateException("not started");
    }
    return s.port();
  }

  /** The counts since the last report, for the controller. */
  public Tally tally() {
    return tally;
  }

  /** The counts since the proxy started. */
  public ComparisonReport totals() {
    return total.snapshot();
  }

  ProxyMetrics metrics() {
    return metrics;
  }

  /** The share of requests compared from now on. */
  public void sample(double share) {
    this.sample = Math.max(0, Math.min(1, share));
    metrics.sample.set(sample);
  }

  public double sample() {
    return sample;
  }

  private Mono<Void> handle(HttpServerRequest req, HttpServerResponse res) {
    String method = req.method().name();
    String uri = req.uri();
    String path = path(uri);
    String endpoint = endpoint(method, path);
    HttpHeaders headers = req.requestHeaders();
    boolean hasBody = headers.contains("transfer-encoding") || contentLength(headers) > 0;
    if (!mirrorWanted(method, path, headers)) {
      metrics.request(false);
      return forward(req, res, hasBody ? req.receive().retain() : null, null);
    }
    String skip = null;
    if (headers.contains("transfer-encoding") || contentLength(headers) > settings.maxBodyBytes()) {
      skip = "body_too_large";
    } else if (!limiter.tryAcquire()) {
      skip = "rate_limit";
    } else if (inFlight.incrementAndGet() > settings.maxInFlight()) {
      inFlight.decrementAndGet();
      skip = "saturated";
    }
    if (skip != null) {
      skipped(endpoint, skip);
      metrics.request(false);
      return forward(req, res, hasBody ? req.receive().retain() : null, null);
    }
    metrics.request(true);
    metrics.inFlight.set(inFlight.get());
    if (!hasBody) {
      return forward(req, res, null, mirror(method, uri, endpoint, headers, EMPTY));
    }
    return req.receive()
        .aggregate()
        .asByteArray()
        .defaultIfEmpty(EMPTY)
        .flatMap(
            body ->
                forward(
                    req,
                    res,
                    Mono.just(Unpooled.wrappedBuffer(body)),
                    mirror(method, uri, endpoint, headers, body)));
  }

  private boolean mirrorWanted(String method, String path, HttpHeaders headers) {
    double share = sample;
    if (share <= 0 || headers.contains(MIRROR_HEADER)) {
      return false;
    }
    if (share < 1 && ThreadLocalRandom.current().nextDouble() >= share) {
      return false;
    }
    if (!SAFE.contains(method) && !listed(settings.safeToRepeat(), method, path)) {
      metrics.unsafeNotMirrored();
      return false;
    }
    return true;
  }

  private static boolean listed(List<ProxySettings.Route> routes, String method, String path) {
    for (ProxySettings.Route r : routes) {
      if (r.matches(method, path)) {
        return true;
      }
    }
    return false;
  }

  private String endpoint(String method, String path) {
    for (ProxySettings.Route r : settings.routes()) {
      if (r.matches(method, path)) {
        return r.name();
      }
    }
    return method + " " + templated(path);
  }

  /** A path with ids (numbers, UUIDs, long hex) replaced, so one endpoint is one name. */
  static String templated(String path) {
    StringBuilder b = new StringBuilder();
    for (String seg : path.split("/", -1)) {
      if (b.length() > 0 || !seg.isEmpty()) {
        b.append('/');
      }
      boolean id =
          seg.matches("\\d+")
              || seg.matches("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
              || seg.matches("(?i)[0-9a-f]{16,}");
      b.append(id ? "{id}" : seg);
    }
    return b.length() == 0 ? "/" : b.toString().replaceAll("^//", "/");
  }

  private static String path(String uri) {
    int q = uri.indexOf('?');
    String p = q < 0 ? uri : uri.substring(0, q);
    return p.isEmpty() ? "/" : p;
  }

  private static long contentLength(HttpHeaders h) {
    String v = h.get("content-length");
    if (v == null) {
      return 0;
    }
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private void skipped(String endpoint, String reason) {
    tally.skipped(endpoint);
    total.skipped(endpoint);
    metrics.skipped(endpoint, reason);
  }

  private Mono<Void> forward(
      HttpServerRequest req,
      HttpServerResponse res,
      @Nullable Publisher<ByteBuf> body,
      @Nullable Exchange x) {
    HttpClient.RequestSender sender =
        primary.headers(h -> copy(req.requestHeaders(), h)).request(req.method()).uri(req.uri());
    HttpClient.ResponseReceiver<?> receiver = body == null ? sender : sender.send(body);
    boolean retryable = body == null && SAFE.contains(req.method().name());
    return receiver
        .response(
            (pres, content) -> {
              res.status(pres.status());
              copy(pres.responseHeaders(), res.responseHeaders());
              Flux<ByteBuf> out = content.retain();
              if (x != null) {
                x.primaryStarted(pres.status().code(), pres.responseHeaders());
                out = out.doOnNext(x.primaryBody::add);
              }
              return res.send(out).then();
            })
        .then()
        // an upstream that closed a kept-alive connection as it was reused: a request without a
        // body and a safe method is sent once more on a fresh connection, as HAProxy's
        // retry-on conn-failure does; nothing reached the caller yet
        .retryWhen(
            Retry.max(1)
                .filter(
                    e ->
                        retryable
                            && !res.hasSentHeaders()
                            && (e instanceof PrematureCloseException
                                || String.valueOf(e.getMessage()).contains("Connection reset"))))
        .doOnSuccess(
            v -> {
              if (x != null) {
                x.primaryDone(null);
              }
            })
        .onErrorResume(
            e -> {
              if (x != null) {
                x.primaryDone(describe(e));
              }
              if (res.hasSentHeaders()) {
                return Mono.error(e);
              }
              boolean timeout = e instanceof ReadTimeoutException || e instanceof TimeoutException;
              return res.status(
                      timeout ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY)
                  .header("content-type", "text/plain; charset=utf-8")
                  .sendString(Mono.just("aviary proxy: the primary " + describe(e) + "\n"))
                  .then();
            });
  }

  private static void copy(HttpHeaders from, HttpHeaders to) {
    for (Map.Entry<String, String> h : from) {
      if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        to.add(h.getKey(), h.getValue());
      }
    }
  }

  private Exchange mirror(
      String method, String uri, String endpoint, HttpHeaders headers, byte[] body) {
    Exchange x = new Exchange(endpoint, method, uri, body, secondary != null);
    call(candidate, method, uri, headers, body, "candidate").subscribe(x::candidateDone);
    HttpClient s = secondary;
    if (s != null) {
      call(s, method, uri, headers, body, "secondary").subscribe(x::secondaryDone);
    }
    return x;
  }

  private Mono<Observed> call(
      HttpClient client, String method, String uri, HttpHeaders headers, byte[] body, String role) {
    HttpClient.RequestSender sender =
        client
            .headers(
                h -> {
                  copy(headers, h);
                  h.set(MIRROR_HEADER, role);
                })
            .request(HttpMethod.valueOf(method))
            .uri(uri);
    HttpClient.ResponseReceiver<?> receiver =
        body.length == 0 ? sender : sender.send(Mono.just(Unpooled.wrappedBuffer(body)));
    int max = settings.maxBodyBytes();
    return receiver
        .response(
            (r, content) -> {
              int status = r.status().code();
              Map<String, List<String>> h = headers(r.responseHeaders());
              if (contentLength(r.responseHeaders()) > max) {
                // Declared too large: not read at all; the connection is closed, not pooled.
                return Mono.just((Observed) new Observed.Failed(TOO_LARGE));
              }
              // Read chunk by chunk and stop at the bound: an answer is never held whole.
              Bytes bytes = new Bytes(max);
              return content
                  .doOnNext(bytes::add)
                  .takeUntil(b -> bytes.truncated())
                  .then(
                      Mono.fromSupplier(
                          () ->
                              bytes.truncated()
                                  ? (Observed) new Observed.Failed(TOO_LARGE)
                                  : new Observed.Response(status, h, bytes.bytes())));
            })
        .next()
        .timeout(settings.candidateTimeout())
        .onErrorResume(e -> Mono.just(new Observed.Failed(describe(e))));
  }

  private static final String TOO_LARGE = "answered with a body over maxBodyBytes";

  private static Map<String, List<String>> headers(HttpHeaders h) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (String name : h.names()) {
      m.put(name, h.getAll(name));
    }
    return m;
  }

  static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t && !(t instanceof ConnectException)) {
      t = t.getCause();
    }
    if (t instanceof ConnectException
        || String.valueOf(t.getMessage()).contains("Connection refused")) {
      return "refused the connection";
    }
    if (e instanceof ReadTimeoutException
        || e instanceof TimeoutException
        || t instanceof TimeoutException) {
      return "did not answer in time";
    }
    if (e instanceof PrematureCloseException || t instanceof PrematureCloseException) {
      return "closed the connection before answering";
    }
    return "failed: " + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
  }

  /** One mirrored request: the three answers, gathered from three connections. */
  private final class Exchange {
    final String endpoint;
    final String method;
    final String uri;
    final byte[] requestBody;
    final Bytes primaryBody = new Bytes(settings.maxBodyBytes());
    private final AtomicInteger waiting;
    private final AtomicInteger mirrors;
    volatile int primaryStatus;
    volatile Map<String, List<String>> primaryHeaders = Map.of();
    volatile @Nullable String primaryFailure;
    volatile @Nullable Observed candidateAnswer;
    volatile @Nullable Observed secondaryAnswer;

    Exchange(String endpoint, String method, String uri, byte[] body, boolean withSecondary) {
      this.endpoint = endpoint;
      this.method = method;
      this.uri = uri;
      this.requestBody = body;
      this.waiting = new AtomicInteger(withSecondary ? 3 : 2);
      this.mirrors = new AtomicInteger(withSecondary ? 2 : 1);
    }

    void primaryStarted(int status, HttpHeaders headers) {
      primaryStatus = status;
      primaryHeaders = ParallelRunProxy.headers(headers);
    }

    void primaryDone(@Nullable String failure) {
      primaryFailure = failure;
      arrived();
    }

    void candidateDone(Observed o) {
      candidateAnswer = o;
      mirrorDone();
    }

    void secondaryDone(Observed o) {
      secondaryAnswer = o;
      mirrorDone();
    }

    private void mirrorDone() {
      if (mirrors.decrementAndGet() == 0) {
        metrics.inFlight.set(inFlight.decrementAndGet());
      }
      arrived();
    }

    private void arrived() {
      if (waiting.decrementAndGet() != 0) {
        return;
      }
      try {
        comparer.execute(this::compare);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        skipped(endpoint, "comparison_queue_full");
      }
    }

    private void compare() {
      try {
        Observed c = candidateAnswer;
        if (primaryFailure != null || primaryBody.truncated() || c == null) {
          skipped(endpoint, primaryFailure != null ? "primary_failed" : "body_too_large");
          return;
        }
        Observed p = new Observed.Response(primaryStatus, primaryHeaders, primaryBody.bytes());
        // A candidate whose answer is over the bound when the primary's is not answered
        // differently: it is compared (as an error), not skipped.
        SortedSet<String> diff = differ.diff(p, c);
        Observed s = secondaryAnswer;
        SortedSet<String> noise = s == null ? null : differ.diff(p, s);
        metrics.compared(endpoint, diff, noise == null ? new TreeSet<>() : noise);
        Instant at = clock.instant();
        tally.compared(endpoint, diff, noise, () -> sample(diff, p, c, s, at));
        total.compared(endpoint, diff, noise, () -> sample(diff, p, c, s, at));
      } catch (RuntimeException e) {
        // counted, so that every exchange ends compared or skipped
        log.warn("comparing an answer of {} failed", endpoint, e);
        skipped(endpoint, "comparison_failed");
      }
    }

    private ComparisonReport.Sample sample(
        SortedSet<String> diff, Observed p, Observed c, @Nullable Observed s, Instant at) {
      return new ComparisonReport.Sample(
          endpoint,
          new ArrayList<>(diff),
          method + " " + Redactor.cut(uri),
          redactor.body(new String(requestBody, StandardCharsets.UTF_8)),
          answer(p),
          answer(c),
          s == null ? null : answer(s),
          at);
    }

    private ComparisonReport.Answer answer(Observed o) {
      if (o instanceof Observed.Response r) {
        return new ComparisonReport.Answer(
            r.status(), redactor.headers(r.headers()), redactor.body(Differ.text(r)));
      }
      return new ComparisonReport.Answer(0, Map.of(), ((Observed.Failed) o).reason());
    }
  }

  @Override
  public void close() {
    DisposableServer s = server;
    if (s != null) {
      s.disposeNow(Duration.ofSeconds(5));
    }
    comparer.shutdown();
    try {
      comparer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    primaryPool.dispose();
    mirrorPool.dispose();
    mirrorLoop.dispose();
  }
}
