package dev.aviary.proxy;

import dev.aviary.parallelrun.compare.PathPattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Blanks credentials and configured fields in the samples a proxy keeps: the headers {@code
 * Authorization}, {@code Proxy-Authorization}, {@code Cookie} and {@code Set-Cookie} always, and
 * configured headers and JSON fields; bodies are cut to {@link #MAX_TEXT} characters.
 */
final class Redactor {

  static final int MAX_TEXT = 4096;
  static final String HIDDEN = "***";
  private static final Set<String> ALWAYS =
      Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final Set<String> headers;
  private final List<PathPattern> fields;

  Redactor(Set<String> headers, List<String> fields) {
    Set<String> h = new java.util.HashSet<>(ALWAYS);
    headers.forEach(x -> h.add(x.toLowerCase(Locale.ROOT)));
    this.headers = Set.copyOf(h);
    List<PathPattern> f = new ArrayList<>();
    fields.forEach(x -> f.add(PathPattern.of(x)));
    this.fields = List.copyOf(f);
  }

  Map<String, String> headers(Map<String, List<String>> in) {
    Map<String, String> out = new LinkedHashMap<>();
    in.forEach(
        (k, v) -> {
          String name = k.toLowerCase(Locale.ROOT);
          out.put(name, headers.contains(name) ? HIDDEN : cut(String.join(", ", v)));
        });
    return out;
  }

  String body(String text) {
    if (!fields.isEmpty()) {
      try {
        JsonNode tree = JSON.readTree(text);
        if (tree != null && (tree.isObject() || tree.isArray())) {
          hide("$", tree);
          text = JSON.writeValueAsString(tree);
        }
      } catch (JacksonException e) {
        // not JSON: kept as text
      }
    }
    return cut(text);
  }

  private void hide(String path, JsonNode node) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      for (String k : new ArrayList<>(o.propertyNames())) {
        String child = path + "." + k;
        if (covered(child)) {
          o.put(k, HIDDEN);
        } else {
          hide(child, o.get(k));
        }
      }
    } else if (node.isArray()) {
      for (JsonNode e : node.values()) {
        hide(path + "[*]", e);
      }
    }
  }

  private boolean covered(String path) {
    for (PathPattern p : fields) {
      if (p.covers(path)) {
        return true;
      }
    }
    return false;
  }

  static String cut(String s) {
    return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) + "…" : s;
  }
}
