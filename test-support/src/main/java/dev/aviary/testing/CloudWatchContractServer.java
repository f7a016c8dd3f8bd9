package dev.aviary.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.cbor.CBORGenerator;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * A stand-in for Amazon CloudWatch's {@code GetMetricData} and STS's {@code AssumeRole}. No AWS
 * emulator can be installed here (moto and LocalStack come from PyPI, which this machine cannot
 * reach, and Debian packages neither), so this contract server follows the published API documents:
 * CloudWatch's API reference for {@code GetMetricData} (queries of {@code MetricStat} or
 * metric-math {@code Expression}, {@code StartTime}/{@code EndTime}, periods aligned to the start,
 * {@code NextToken} paging, {@code StatusCode} per result) over the Smithy RPC v2 CBOR protocol the
 * AWS SDK for Java 2.57 speaks to CloudWatch ({@code POST
 * /service/GraniteServiceVersion20100801/operation/GetMetricData}, {@code smithy-protocol:
 * rpc-v2-cbor}, errors as {@code __type} + {@code message} with the {@code x-amzn-query-error}
 * code), and STS's Query-protocol {@code AssumeRole} answered in XML. Every call must carry a valid
 * Signature Version 4 ({@link SigV4Verifier}): CloudWatch for service {@code monitoring}, STS for
 * {@code sts}; a role's temporary credentials are accepted once STS issued them.
 *
 * <p>Datapoints stored with {@link #put} play the part of what services publish. Metrics Insights
 * ({@code SELECT …} expressions) is not evaluated here.
 */
public final class CloudWatchContractServer implements AutoCloseable {

  private static final CBORMapper CBOR = CBORMapper.builder().build();
  private static final String GET_METRIC_DATA =
      "/service/GraniteServiceVersion20100801/operation/GetMetricData";

  /** One datapoint as published. */
  private record Datapoint(
      String namespace, String name, Map<String, String> dimensions, long second, double value) {}

  /** A request as it arrived, body decoded (CBOR as JSON text, forms as text). */
  public record Call(String path, Map<String, List<String>> headers, String body) {}

  private final HttpServer server;
  private final SigV4Verifier verifier;
  private final List<Datapoint> data = new CopyOnWriteArrayList<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, String> roles = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicInteger throttled = new AtomicInteger();
  private final AtomicInteger issued = new AtomicInteger();
  private volatile int pageSize = 100;

  public CloudWatchContractServer(String region, SigV4Verifier.Key key) {
    this.verifier = new SigV4Verifier(region).accept(key);
    server = LoopbackHttp.start(this::handle);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Publishes a datapoint. */
  public void put(
      String namespace, String name, Map<String, String> dimensions, long second, double value) {
    data.add(new Datapoint(namespace, name, Map.copyOf(dimensions), second, value));
  }

  /** Lets {@code roleArn} be assumed, with {@code externalId} (null for none). */
  public void allowRole(String roleArn, String externalId) {
    roles.put(roleArn, externalId == null ? "" : externalId);
  }

  /** At most {@code n} datapoints per result per page; more come through {@code NextToken}. */
  public void pageSize(int n) {
    pageSize = n;
  }

  public void throttleNext(int n) {
    throttled.set(n);
  }

  /** How many times STS issued temporary credentials. */
  public int rolesAssumed() {
    return issued.get();
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getRawPath();
      Map<String, List<String>> headers = Map.copyOf(exchange.getRequestHeaders());
      boolean cbor = path.equals(GET_METRIC_DATA);
      calls.add(
          new Call(
              path,
              headers,
              cbor && body.length > 0
                  ? CBOR.readTree(body).toString()
                  : new String(body, StandardCharsets.UTF_8)));
      Optional<String> bad =
          verifier.check(
              cbor ? "monitoring" : "sts",
              exchange.getRequestMethod(),
              path,
              exchange.getRequestURI().getRawQuery(),
              headers,
              body);
      if (cbor) {
        if (bad.isPresent()) {
          String code = bad.get().substring(0, bad.get().indexOf(':'));
          cborError(exchange, 403, code, bad.get().substring(code.length() + 2));
        } else if (!"rpc-v2-cbor"
            .equals(exchange.getRequestHeaders().getFirst("smithy-protocol"))) {
          cborError(exchange, 400, "InvalidParameterValue", "smithy-protocol must be rpc-v2-cbor");
        } else if (throttled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          cborError(exchange, 400, "Throttling", "Rate exceeded");
        } else {
          getMetricData(exchange, CBOR.readTree(body));
        }
      } else if (path.equals("/") && "POST".equals(exchange.getRequestMethod())) {
        if (bad.isPresent()) {
          xmlError(exchange, 403, bad.get());
        } else {
          assumeRole(exchange, new String(body, StandardCharsets.UTF_8));
        }
      } else {
        exchange.sendResponseHeaders(404, -1);
      }
    }
  }

  private void getMetricData(HttpExchange exchange, JsonNode request) throws IOException {
    long start = seconds(request.path("StartTime"));
    long end = seconds(request.path("EndTime"));
    if (start >= end) {
      cborError(
          exchange,
          400,
          "InvalidParameterValue",
          "The parameter StartTime must be less than the parameter EndTime.");
      return;
    }
    int offset = 0;
    if (request.has("NextToken")) {
      offset = Integer.parseInt(request.path("NextToken").asString("0"));
    }
    Map<String, java.util.SortedMap<Long, Double>> byId = new LinkedHashMap<>();
    List<String[]> returned = new ArrayList<>(); // id, label
    for (JsonNode q : request.path("MetricDataQueries")) {
      String id = q.path("Id").asString("");
      if (!id.matches("[a-z][A-Za-z0-9_]*")) {
        cborError(
            exchange,
            400,
            "InvalidParameterValue",
            "The value " + id + " for parameter MetricDataQueries.member.1.Id is not valid.");
        return;
      }
      if (q.has("MetricStat")) {
        JsonNode stat = q.path("MetricStat");
        byId.put(id, evaluate(stat, start, end));
        if (q.path("ReturnData").asBoolean(true)) {
          returned.add(new String[] {id, stat.path("Metric").path("MetricName").asString("")});
        }
      } else {
        String expression = q.path("Expression").asString("");
        if (expression.strip().toUpperCase(java.util.Locale.ROOT).startsWith("SELECT")) {
          cborError(
              exchange,
              400,
              "InvalidParameterValue",
              "Metrics Insights queries are not evaluated by this contract server");
          return;
        }
        java.util.SortedMap<Long, Double> values;
        try {
          values = MetricMath.evaluate(expression, byId);
        } catch (IllegalArgumentException e) {
          cborError(
              exchange,
              400,
              "ValidationError",
              "Error in expression '" + q.path("Id").asString("") + "': " + e.getMessage());
          return;
        }
        byId.put(id, values);
        if (q.path("ReturnData").asBoolean(true)) {
          returned.add(new String[] {id, q.path("Label").asString(id)});
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean more = false;
    try (CBORGenerator g = (CBORGenerator) CBOR.createGenerator(out)) {
      g.writeStartObject();
      g.writeName("MetricDataResults");
      g.writeStartArray();
      for (String[] r : returned) {
        List<Map.Entry<Long, Double>> points = new ArrayList<>(byId.get(r[0]).entrySet());
        int to = Math.min(points.size(), offset + pageSize);
        more |= to < points.size();
        g.writeStartObject();
        g.writeStringProperty("Id", r[0]);
        g.writeStringProperty("Label", r[1]);
        g.writeName("Timestamps");
        g.writeStartArray();
        for (int i = offset; i < to; i++) {
          g.writeTag(1);
          g.writeNumber(points.get(i).getKey());
        }
        g.writeEndArray();
        g.writeName("Values");
        g.writeStartArray();
        for (int i = offset; i < to; i++) {
          g.writeNumber(points.get(i).getValue());
        }
        g.writeEndArray();
        g.writeStringProperty("StatusCode", to < points.size() ? "PartialData" : "Complete");
        g.writeName("Messages");
        g.writeStartArray();
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      if (more) {
        g.writeStringProperty("NextToken", String.valueOf(offset + pageSize));
      }
      g.writeName("Messages");
      g.writeStartArray();
      g.writeEndArray();
      g.writeEndObject();
    }
    send(exchange, 200, out.toByteArray());
  }

  /** The stat's values per period, periods aligned to {@code start}; empty periods left out. */
  private java.util.SortedMap<Long, Double> evaluate(JsonNode stat, long start, long end) {
    JsonNode metric = stat.path("Metric");
    String namespace = metric.path("Namespace").asString("");
    String name = metric.path("MetricName").asString("");
    Map<String, String> dimensions = new TreeMap<>();
    for (JsonNode d : metric.path("Dimensions")) {
      dimensions.put(d.path("Name").asString(""), d.path("Value").asString(""));
    }
    long period = stat.path("Period").asLong(60);
    String kind = stat.path("Stat").asString("Sum");
    TreeMap<Long, List<Double>> buckets = new TreeMap<>();
    for (Datapoint p : data) {
      if (p.namespace().equals(namespace)
          && p.name().equals(name)
          && new TreeMap<>(p.dimensions()).equals(dimensions)
          && p.second() >= start
          && p.second() < end) {
        long bucket = start + (p.second() - start) / period * period;
        buckets.computeIfAbsent(bucket, b -> new ArrayList<>()).add(p.value());
      }
    }
    java.util.SortedMap<Long, Double> out = new TreeMap<>();
    buckets.forEach(
        (t, vs) ->
            out.put(
                t,
                switch (kind) {
                  case "Average" ->
                      vs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                  case "Minimum" ->
                      vs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                  case "Maximum" ->
                      vs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                  case "SampleCount" -> (double) vs.size();
                  default -> vs.stream().mapToDouble(Double::doubleValue).sum();
                }));
    return out;
  }

  private static long seconds(JsonNode timestamp) {
    return (long) Math.floor(timestamp.asDouble());
  }

  private void assumeRole(HttpExchange exchange, String form) throws IOException {
    Map<String, String> params = new TreeMap<>();
    for (String pair : form.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    if (!"AssumeRole".equals(params.get("Action"))) {
      xmlError(exchange, 400, "InvalidAction: only AssumeRole is answered here");
      return;
    }
    String role = params.getOrDefault("RoleArn", "");
    String external = roles.get(role);
    if (external == null || !external.equals(params.getOrDefault("ExternalId", ""))) {
      xmlError(
          exchange,
          403,
          "AccessDenied: User is not authorized to perform: sts:AssumeRole on resource: " + role);
      return;
    }
    int n = issued.incrementAndGet();
    String keyId = "ASIAAVIARYROLE" + n;
    String secret = "role-secret-" + n;
    String token = "role-session-token-" + n;
    verifier.accept(new SigV4Verifier.Key(keyId, secret, token));
    String xml =
        "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
            + "<Credentials><AccessKeyId>"
            + keyId
            + "</AccessKeyId><SecretAccessKey>"
            + secret
            + "</SecretAccessKey><SessionToken>"
            + token
            + "</SessionToken><Expiration>"
            + Instant.now().plusSeconds(3600)
            + "</Expiration></Credentials>"
            + "<AssumedRoleUser><Arn>"
            + role.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/")
            + "/"
            + params.getOrDefault("RoleSessionName", "")
            + "</Arn><AssumedRoleId>AROAAVIARY:"
            + params.getOrDefault("RoleSessionName", "")
            + "</AssumedRoleId></AssumedRoleUser>"
            + "</AssumeRoleResult><ResponseMetadata><RequestId>"
            + n
            + "</RequestId></ResponseMetadata>"
            + "</AssumeRoleResponse>";
    exchange.getResponseHeaders().set("Content-Type", "text/xml");
    send(exchange, 200, xml.getBytes(StandardCharsets.UTF_8));
  }

  private static void xmlError(HttpExchange exchange, int status, String codeAndMessage)
      throws IOException {
    int colon = codeAndMessage.indexOf(':');
    String xml =
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>"
            + codeAndMessage.substring(0, colon)
            + "</Code><Message>"
            + codeAndMessage.substring(colon + 1).strip().replace("&", "&amp;").replace("<", "&lt;")
            + "</Message></Error><RequestId>x</RequestId></ErrorResponse>";
    exchange.getResponseHeaders().set("Content-Type", "text/xml");
    send(exchange, status, xml.getBytes(StandardCharsets.UTF_8));
  }

  private static void cborError(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator g = (CBORGenerator) CBOR.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringProperty("__type", "com.amazonaws.cloudwatch#" + code);
      g.writeStringProperty("message", message);
      g.writeEndObject();
    }
    exchange.getResponseHeaders().set("x-amzn-query-error", code + ";Sender");
    send(exchange, status, out.toByteArray());
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
      exchange.getResponseHeaders().set("Content-Type", "application/cbor");
      exchange.getResponseHeaders().set("smithy-protocol", "rpc-v2-cbor");
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  /** Metric math over the queries' values: numbers, ids, + - * / and parentheses. */
  private static final class MetricMath {
    private final String text;
    private final Map<String, java.util.SortedMap<Long, Double>> series;
    private int at;

    private MetricMath(String text, Map<String, java.util.SortedMap<Long, Double>> series) {
      this.text = text;
      this.series = series;
    }

    static java.util.SortedMap<Long, Double> evaluate(
        String expression, Map<String, java.util.SortedMap<Long, Double>> series) {
      java.util.Set<Long> times = new java.util.TreeSet<>();
      series.values().forEach(s -> times.addAll(s.keySet()));
      java.util.SortedMap<Long, Double> out = new TreeMap<>();
      for (long t : times) {
        MetricMath m = new MetricMath(expression, series);
        Double v = m.sum(t);
        m.space();
        if (m.at != expression.length()) {
          throw new IllegalArgumentException("unexpected input at " + (m.at + 1));
        }
        if (v != null && !v.isNaN() && !v.isInfinite()) {
          out.put(t, v);
        }
      }
      return out;
    }

    private void space() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    private Double sum(long t) {
      Double v = product(t);
      while (true) {
        space();
        if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
          char op = text.charAt(at++);
          Double r = product(t);
          v = v == null || r == null ? null : op == '+' ? v + r : v - r;
        } else {
          return v;
        }
      }
    }

    private Double product(long t) {
      Double v = atom(t);
      while (true) {
        space();
        if (at < text.length() && (text.charAt(at) == '*' || text.charAt(at) == '/')) {
          char op = text.charAt(at++);
          Double r = atom(t);
          v = v == null || r == null ? null : op == '*' ? v * r : v / r;
        } else {
          return v;
        }
      }
    }

    private Double atom(long t) {
      space();
      if (at >= text.length()) {
        throw new IllegalArgumentException("unexpected end");
      }
      char c = text.charAt(at);
      if (c == '(') {
        at++;
        Double v = sum(t);
        space();
        if (at >= text.length() || text.charAt(at) != ')') {
          throw new IllegalArgumentException("missing )");
        }
        at++;
        return v;
      }
      int start = at;
      if (Character.isDigit(c)) {
        while (at < text.length()
            && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
          at++;
        }
        return Double.parseDouble(text.substring(start, at));
      }
      while (at < text.length()
          && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
        at++;
      }
      String id = text.substring(start, at);
      if (!series.containsKey(id)) {
        throw new IllegalArgumentException(
            "Unrecognized token '" + (id.isEmpty() ? String.valueOf(c) : id) + "'");
      }
      return series.get(id).get(t);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
