package dev.aviary.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for AWS Lambda's alias API: {@code GetAlias} ({@code GET
 * /2015-03-31/functions/{FunctionName}/aliases/{Name}}) and {@code UpdateAlias} ({@code PUT} of the
 * same path). No AWS emulator can be installed here (moto and LocalStack come from PyPI, which this
 * machine cannot reach), so this contract server follows the API reference over its REST-JSON
 * protocol: errors carry {@code X-Amzn-ErrorType} and {@code {"Type", "message"}}; {@code
 * RoutingConfig.AdditionalVersionWeights} holds at most one version, weighted 0.0–1.0, which must
 * be published and differ from {@code FunctionVersion} ({@code InvalidParameterValueException}); an
 * unknown function, alias or version is {@code ResourceNotFoundException} (404); a {@code
 * RevisionId} that is not the alias's current one is {@code PreconditionFailedException} (412);
 * {@link #throttleNext} answers {@code TooManyRequestsException} (429). Every call must carry a
 * valid Signature Version 4 for service {@code lambda}.
 */
public final class LambdaContractServer implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PREFIX = "/2015-03-31/functions/";

  /** An alias as Lambda keeps it. */
  public record Alias(String version, Map<String, Double> weights, String revision) {}

  private final HttpServer server;
  private final SigV4Verifier verifier;
  private final String region;
  private final Map<String, Set<String>> versions = new ConcurrentHashMap<>();
  private final Map<String, Alias> aliases = new ConcurrentHashMap<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger throttled = new AtomicInteger();

  public LambdaContractServer(String region, SigV4Verifier.Key key) {
    this.region = region;
    this.verifier = new SigV4Verifier(region).accept(key);
    server = LoopbackHttp.start(this::handle);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A function with these published versions, and {@code alias} on {@code live} alone. */
  public void function(String name, String alias, String live, String... published) {
    Set<String> known = ConcurrentHashMap.newKeySet();
    known.addAll(List.of(published));
    known.add(live);
    versions.put(name, known);
    aliases.put(name + ":" + alias, new Alias(live, Map.of(), UUID.randomUUID().toString()));
  }

  public Alias alias(String function, String alias) {
    return aliases.get(function + ":" + alias);
  }

  /** Changes the alias as someone else would: a new revision. */
  public void setAlias(String function, String alias, String version, Map<String, Double> weights) {
    aliases.put(
        function + ":" + alias,
        new Alias(version, Map.copyOf(weights), UUID.randomUUID().toString()));
  }

  public void throttleNext(int n) {
    throttled.set(n);
  }

  /** Method and path of every call, in order. */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      calls.add(method + " " + path);
      Optional<String> bad =
          verifier.check(
              "lambda",
              method,
              path,
              exchange.getRequestURI().getRawQuery(),
              Map.copyOf(exchange.getRequestHeaders()),
              body);
      if (bad.isPresent()) {
        int colon = bad.get().indexOf(':');
        error(exchange, 403, bad.get().substring(0, colon), bad.get().substring(colon + 1).strip());
        return;
      }
      if (throttled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        error(exchange, 429, "TooManyRequestsException", "Rate exceeded");
        return;
      }
      String[] parts =
          path.startsWith(PREFIX) ? path.substring(PREFIX.length()).split("/", -1) : new String[0];
      if (parts.length != 3 || !parts[1].equals("aliases")) {
        error(
            exchange,
            404,
            "UnknownOperationException",
            "no such operation: " + method + " " + path);
        return;
      }
      String function = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      if (function.startsWith("arn:")) {
        function = function.substring(function.lastIndexOf(':') + 1);
      }
      String name = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
      Alias alias = aliases.get(function + ":" + name);
      if (!versions.containsKey(function) || alias == null) {
        error(
            exchange,
            404,
            "ResourceNotFoundException",
            "Alias not found: arn:aws:lambda:"
                + region
                + ":123456789012:function:"
                + function
                + ":"
                + name);
        return;
      }
      if (method.equals("GET")) {
        send(exchange, 200, render(function, name, alias));
      } else if (method.equals("PUT")) {
        update(exchange, function, name, alias, JSON.readTree(body));
      } else {
        error(exchange, 405, "UnknownOperationException", method + " is not allowed here");
      }
    }
  }

  private void update(
      HttpExchange exchange, String function, String name, Alias alias, JsonNode request)
      throws IOException {
    if (request.has("RevisionId")
        && !request.path("RevisionId").asString().equals(alias.revision())) {
      error(
          exchange,
          412,
          "PreconditionFailedException",
          "The Revision Id provided does not match the latest Revision Id. Call the GetAlias API to"
              + " retrieve the latest Revision Id");
      return;
    }
    String version = request.path("FunctionVersion").asString(alias.version());
    Map<String, Double> weights = alias.weights();
    if (request.has("RoutingConfig")) {
      weights = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e :
          request.path("RoutingConfig").path("AdditionalVersionWeights").properties()) {
        weights.put(e.getKey(), e.getValue().asDouble());
      }
    }
    Set<String> known = versions.get(function);
    if (!known.contains(version)) {
      error(
          exchange,
          404,
          "ResourceNotFoundException",
          "Function not found: " + function + ":" + version);
      return;
    }
    if (weights.size() > 1) {
      error(
          exchange,
          400,
          "InvalidParameterValueException",
          "Number of additional version weights cannot be more than 1");
      return;
    }
    for (Map.Entry<String, Double> w : weights.entrySet()) {
      if (w.getKey().equals(version)) {
        error(
            exchange,
            400,
            "InvalidParameterValueException",
            "Invalid function version "
                + w.getKey()
                + ". Function version "
                + w.getKey()
                + " is already included in primary version.");
        return;
      }
      if (!known.contains(w.getKey())) {
        error(
            exchange,
            404,
            "ResourceNotFoundException",
            "Function not found: " + function + ":" + w.getKey());
        return;
      }
      if (w.getValue() < 0 || w.getValue() > 1) {
        error(
            exchange,
            400,
            "InvalidParameterValueException",
            "Invalid weight " + w.getValue() + ": must be between 0.0 and 1.0");
        return;
      }
    }
    Alias updated = new Alias(version, Map.copyOf(weights), UUID.randomUUID().toString());
    aliases.put(function + ":" + name, updated);
    send(exchange, 200, render(function, name, updated));
  }

  private String render(String function, String name, Alias alias) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "AliasArn", "arn:aws:lambda:" + region + ":123456789012:function:" + function + ":" + name);
    out.put("Name", name);
    out.put("FunctionVersion", alias.version());
    out.put("Description", "");
    if (!alias.weights().isEmpty()) {
      out.put("RoutingConfig", Map.of("AdditionalVersionWeights", alias.weights()));
    }
    out.put("RevisionId", alias.revision());
    return JSON.writeValueAsString(out);
  }

  private static void error(HttpExchange exchange, int status, String type, String message)
      throws IOException {
    exchange.getResponseHeaders().set("X-Amzn-ErrorType", type);
    send(exchange, status, JSON.writeValueAsString(Map.of("Type", "User", "message", message)));
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
