package dev.aviary.controller.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import dev.aviary.testing.TestTokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every operation of the published OpenAPI document, called with generated input: bodies built from
 * the operation's schema and then broken (a member null, of the wrong type, a string with a NUL or
 * a surrogate, the body not JSON at all), hostile path and query values, and header values no
 * client library would send (bytes above ASCII, control characters), over a raw socket. A client's
 * mistake is never a server error, and every error is an RFC 9457 problem document. Seeded: a
 * failure names its seed and request, and {@code -Daviary.fuzz.seed} replays it.
 */
@AviaryIntegrationTest
class ApiFuzzIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Values no well-behaved client sends, and some that look almost right. */
  private static final List<String> HOSTILE =
      List.of(
          "",
          " ",
          "a",
          "\u0000",
          "nul\u0000inside",
          "é",
          "\uD83D\uDE00",
          "\uD800",
          "..",
          "../../admin",
          "%00",
          "null",
          "-1",
          "0",
          "99999999999999999999999",
          "1e309",
          "00000000-0000-0000-0000-000000000000",
          "x".repeat(5000),
          "<script>",
          "' OR 1=1 --",
          "a=b=c",
          "${version}");

  private static final int REQUESTS_PER_OPERATION = 60;

  @LocalServerPort int port;

  private final List<String> failures = new ArrayList<>();
  private int sent;

  /**
   * Undoes what the fuzzer set that reaches past its own requests: a freeze or a concurrency limit
   * it declared would hold every later test's rollouts in this shared context.
   */
  @AfterEach
  void undoReleasePolicies() {
    Api admin = new Api(port);
    admin
        .get("/api/v1/freezes")
        .json()
        .path("items")
        .forEach(f -> admin.delete("/api/v1/freezes/" + f.path("id").asString(), Map.of()));
    admin
        .get("/api/v1/concurrency-limits")
        .json()
        .path("items")
        .forEach(
            l -> admin.delete("/api/v1/concurrency-limits/" + l.path("id").asString(), Map.of()));
    assertThat(admin.get("/api/v1/freezes").json().path("items").isEmpty()).isTrue();
    assertThat(admin.get("/api/v1/concurrency-limits").json().path("items").isEmpty()).isTrue();
  }

  @Test
  void noInputIsAServerErrorAndEveryErrorIsAProblemDocument() throws Exception {
    long seed = Long.getLong("aviary.fuzz.seed", 20261201L);
    SplittableRandom random = new SplittableRandom(seed);
    JsonNode api = JSON.readTree(Files.readString(Path.of("..", "docs", "openapi.json")));
    for (Map.Entry<String, JsonNode> path : api.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        for (int i = 0; i < REQUESTS_PER_OPERATION; i++) {
          call(api, op.getKey().toUpperCase(Locale.ROOT), path.getKey(), op.getValue(), random);
        }
      }
    }
    // paths no operation has, as a scanner would try
    for (String stray :
        List.of("/error", "/api", "/api/v1", "/api/v1/%00", "/api/v1/plans/a/b/c")) {
      check("GET", stray, List.of(), null);
    }
    assertThat(sent).isGreaterThan(1000);
    assertThat(failures).as("seed " + seed + ", " + sent + " requests").isEmpty();
  }

  private void call(JsonNode api, String method, String template, JsonNode op, SplittableRandom r)
      throws IOException {
    String path = template;
    StringBuilder query = new StringBuilder();
    List<String> headers = new ArrayList<>();
    for (JsonNode p : op.path("parameters")) {
      String name = p.path("name").asString();
      String in = p.path("in").asString();
      String value = r.nextInt(3) == 0 ? plausible(p.path("schema"), r) : pick(HOSTILE, r);
      switch (in) {
        case "path" -> path = path.replace("{" + name + "}", encode(value.isEmpty() ? "x" : value));
        case "query" -> {
          if (r.nextBoolean()) {
            query.append(query.length() == 0 ? '?' : '&').append(name).append('=');
            query.append(encode(value));
          }
        }
        case "header" -> {
          if (r.nextBoolean()) {
            headers.add(name + ": " + value.replace("\r", "").replace("\n", ""));
          }
        }
        default -> {}
      }
    }
    byte[] body = null;
    JsonNode content = op.path("requestBody").path("content").path("application/json");
    if (!content.isMissingNode()) {
      body = body(api, content.path("schema"), r);
    }
    check(method, path + query, headers, body);
  }

  private void check(String method, String target, List<String> headers, byte[] body)
      throws IOException {
    sent++;
    Answer a = send(method, target, headers, body);
    String what = method + " " + abbreviate(target) + " " + headers + " " + abbreviate(body);
    if (a.status >= 500) {
      failures.add(a.status + " for " + what + ": " + abbreviate(a.body));
    } else if (a.status >= 400
        && !a.contentType.toLowerCase(Locale.ROOT).startsWith("application/problem+json")) {
      failures.add(a.status + " not a problem document (" + a.contentType + ") for " + what);
    }
  }

  // ---- generation -------------------------------------------------------------------------------

  private static String plausible(JsonNode schema, SplittableRandom r) {
    String type = schema.path("type").asString("string");
    return switch (type) {
      case "integer" -> String.valueOf(r.nextInt(-2, 300));
      case "boolean" -> r.nextBoolean() ? "true" : "false";
      default -> {
        if (schema.has("enum")) {
          yield schema.path("enum").get(r.nextInt(schema.path("enum").size())).asString();
        }
        yield "uuid".equals(schema.path("format").asString())
            ? "00000000-0000-0000-0000-00000000000" + r.nextInt(10)
            : "fuzz-" + r.nextInt(1000);
      }
    };
  }

  private static byte[] body(JsonNode api, JsonNode schema, SplittableRandom r) {
    int kind = r.nextInt(10);
    if (kind == 0) {
      return pick(List.of("", "{", "[]", "null", "\"a\"", "{\"a\":}", "\u0000"), r)
          .getBytes(StandardCharsets.UTF_8);
    }
    JsonNode valid = generate(api, schema, r, 0);
    JsonNode broken = kind <= 2 ? valid : mutate(valid, r);
    return JSON.writeValueAsBytes(broken);
  }

  private static JsonNode resolve(JsonNode api, JsonNode schema) {
    String ref = schema.path("$ref").asString("");
    if (ref.startsWith("#/components/schemas/")) {
      return api.path("components")
          .path("schemas")
          .path(ref.substring("#/components/schemas/".length()));
    }
    return schema;
  }

  private static JsonNode generate(JsonNode api, JsonNode schema, SplittableRandom r, int depth) {
    JsonNode s = resolve(api, schema);
    if (s.has("oneOf") || s.has("anyOf")) {
      JsonNode options = s.has("oneOf") ? s.path("oneOf") : s.path("anyOf");
      return generate(api, options.get(r.nextInt(options.size())), r, depth + 1);
    }
    if (s.has("enum")) {
      return s.path("enum").get(r.nextInt(s.path("enum").size()));
    }
    String type = s.path("type").asString(s.has("properties") ? "object" : "string");
    if (depth > 6) {
      return NODES.stringNode("deep");
    }
    switch (type) {
      case "object" -> {
        ObjectNode o = NODES.objectNode();
        for (Map.Entry<String, JsonNode> p : s.path("properties").properties()) {
          if (r.nextInt(3) > 0) {
            o.set(p.getKey(), generate(api, p.getValue(), r, depth + 1));
          }
        }
        if (s.path("additionalProperties").isObject() && r.nextBoolean()) {
          o.set("k" + r.nextInt(5), generate(api, s.path("additionalProperties"), r, depth + 1));
        }
        return o;
      }
      case "array" -> {
        ArrayNode a = NODES.arrayNode();
        for (int i = r.nextInt(4); i > 0; i--) {
          a.add(generate(api, s.path("items"), r, depth + 1));
        }
        return a;
      }
      case "integer" -> {
        return NODES.numberNode(r.nextInt(-5, 200));
      }
      case "number" -> {
        return NODES.numberNode(r.nextDouble() * 2 - 0.5);
      }
      case "boolean" -> {
        return NODES.booleanNode(r.nextBoolean());
      }
      default -> {
        String example = s.path("example").asString("");
        return NODES.stringNode(example.isEmpty() || r.nextBoolean() ? "fuzz" : example);
      }
    }
  }

  /** One member somewhere replaced by null, a wrong type or a hostile string. */
  private static JsonNode mutate(JsonNode node, SplittableRandom r) {
    if (node instanceof ObjectNode o && o.size() > 0 && r.nextInt(3) > 0) {
      List<String> names = new ArrayList<>();
      Iterator<String> it = o.propertyNames().iterator();
      it.forEachRemaining(names::add);
      String name = pick(names, r);
      JsonNode child = o.get(name);
      if ((child.isObject() || child.isArray()) && r.nextBoolean()) {
        o.set(name, mutate(child, r));
      } else {
        o.set(name, wrong(r));
      }
      return o;
    }
    if (node instanceof ArrayNode a && a.size() > 0 && r.nextBoolean()) {
      int i = r.nextInt(a.size());
      a.set(i, r.nextBoolean() ? mutate(a.get(i), r) : wrong(r));
      return a;
    }
    return r.nextBoolean() ? wrong(r) : node;
  }

  private static JsonNode wrong(SplittableRandom r) {
    return switch (r.nextInt(7)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.numberNode(r.nextBoolean() ? -1 : Long.MAX_VALUE);
      case 2 -> NODES.booleanNode(true);
      case 3 -> NODES.arrayNode().add(NODES.nullNode());
      case 4 -> NODES.objectNode().putNull("x");
      case 5 -> NODES.numberNode(1e308);
      default -> NODES.stringNode(pick(HOSTILE, r));
    };
  }

  private static <T> T pick(List<T> list, SplittableRandom r) {
    return list.get(r.nextInt(list.size()));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String abbreviate(Object o) {
    String s =
        o == null
            ? ""
            : o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : o.toString();
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  // ---- a raw HTTP/1.1 client: sends header bytes as given -------------------------------------

  private record Answer(int status, String contentType, String body) {}

  private Answer send(String method, String target, List<String> headers, byte[] body)
      throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      write(request, method + " " + target + " HTTP/1.1\r\n");
      write(request, "Host: 127.0.0.1:" + port + "\r\n");
      write(request, "Authorization: Bearer " + TestTokens.ADMIN + "\r\n");
      write(request, "Accept: application/json, application/problem+json\r\n");
      write(request, "Connection: close\r\n");
      for (String h : headers) {
        request.write(h.getBytes(StandardCharsets.UTF_8)); // bytes above ASCII, as they come
        write(request, "\r\n");
      }
      if (body != null) {
        write(request, "Content-Type: application/json\r\n");
        write(request, "Content-Length: " + body.length + "\r\n");
      }
      write(request, "\r\n");
      if (body != null) {
        request.write(body);
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.toByteArray());
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int headerEnd = response.indexOf("\r\n\r\n");
      String head = headerEnd < 0 ? response : response.substring(0, headerEnd);
      String[] lines = head.split("\r\n");
      int status = lines.length > 0 && lines[0].length() >= 12 ? parse(lines[0]) : 0;
      String contentType = "";
      for (String line : lines) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
          contentType = line.substring("content-type:".length()).strip();
        }
      }
      return new Answer(
          status == 0 ? 599 : status,
          contentType,
          headerEnd < 0 ? "" : response.substring(headerEnd + 4));
    }
  }

  private static int parse(String statusLine) {
    try {
      return Integer.parseInt(statusLine.substring(9, 12));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void write(ByteArrayOutputStream out, String ascii) {
    out.writeBytes(ascii.getBytes(StandardCharsets.US_ASCII));
  }
}
