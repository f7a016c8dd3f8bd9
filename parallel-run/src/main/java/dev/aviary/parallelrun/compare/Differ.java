package dev.aviary.parallelrun.compare;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds where two answers differ, as field paths: {@code status}; {@code header:etag}; for JSON
 * bodies the field, such as {@code $.price.amount} (all elements of an array share one path, {@code
 * $.items[*].id}), with the kind of difference after a colon unless the values simply differ —
 * {@code :missing} (only the first has it), {@code :extra} (only the second), {@code :type}, {@code
 * :length}; {@code body} for text bodies and {@code body:type} when one is JSON and the other not;
 * {@code error} when the second side gave no response. Paths, not single differences, are what
 * noise is judged on: a path that differs as often between two trusted instances is noise.
 */
public final class Differ {

  public static final String STATUS = "status";
  public static final String BODY = "body";
  public static final String ERROR = "error";

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final CompareOptions options;

  public Differ(CompareOptions options) {
    this.options = options;
  }

  /** The paths where {@code second} differs from {@code first}; empty when they agree. */
  public SortedSet<String> diff(Observed first, Observed second) {
    SortedSet<String> out = new TreeSet<>();
    if (!(first instanceof Observed.Response a)) {
      if (!(second instanceof Observed.Failed)) {
        out.add(ERROR);
      }
      return out;
    }
    if (!(second instanceof Observed.Response b)) {
      out.add(ERROR);
      return out;
    }
    if (a.status() != b.status()) {
      out.add(STATUS);
    }
    Set<String> names = new TreeSet<>(a.headers().keySet());
    names.addAll(b.headers().keySet());
    for (String name : names) {
      if (options.comparesHeader(name)
          && !a.headers()
              .getOrDefault(name, List.of())
              .equals(b.headers().getOrDefault(name, List.of()))) {
        out.add("header:" + name);
      }
    }
    bodies(a, b, out);
    return out;
  }

  /** The paths where two JSON documents differ. */
  public SortedSet<String> diffJson(JsonNode a, JsonNode b) {
    SortedSet<String> out = new TreeSet<>();
    json("$", a, b, out);
    return out;
  }

  private void bodies(Observed.Response a, Observed.Response b, Set<String> out) {
    String ta = text(a);
    String tb = text(b);
    JsonNode ja = json(a, ta);
    JsonNode jb = json(b, tb);
    if (ja != null && jb != null) {
      json("$", ja, jb, out);
    } else if ((ja == null) != (jb == null) && !ta.isEmpty() && !tb.isEmpty()) {
      out.add(BODY + ":type");
    } else if (!options.clean(ta).equals(options.clean(tb))) {
      out.add(BODY);
    }
  }

  /** The body as text, gzip decoded. */
  public static String text(Observed.Response r) {
    byte[] body = r.body();
    if (r.header("content-encoding").toLowerCase(Locale.ROOT).contains("gzip")) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        body = in.readAllBytes();
      } catch (IOException e) {
        return new String(r.body(), StandardCharsets.ISO_8859_1); // compared as the bytes sent
      }
    }
    return new String(body, StandardCharsets.UTF_8);
  }

  private static @org.jspecify.annotations.Nullable JsonNode json(
      Observed.Response r, String text) {
    String type = r.header("content-type").toLowerCase(Locale.ROOT);
    boolean declared = type.contains("json");
    String t = text.strip();
    if (!declared && !(type.isEmpty() && (t.startsWith("{") || t.startsWith("[")))) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (JacksonException e) {
      return null;
    }
  }

  private void json(String path, JsonNode a, JsonNode b, Set<String> out) {
    if (options.ignored(path)) {
      return;
    }
    if (a.isObject() && b.isObject()) {
      Set<String> keys = new LinkedHashSet<>(a.propertyNames());
      keys.addAll(b.propertyNames());
      for (String k : keys) {
        String child = child(path, k);
        JsonNode va = a.get(k);
        JsonNode vb = b.get(k);
        if (options.ignored(child)) {
          continue;
        }
        if (vb == null && va != null) {
          out.add(child + ":missing");
        } else if (va == null) {
          out.add(child + ":extra");
        } else {
          json(child, va, vb, out);
        }
      }
    } else if (a.isArray() && b.isArray()) {
      List<JsonNode> la = elements(a);
      List<JsonNode> lb = elements(b);
      if (options.unordered(path)) {
        la.sort(Comparator.comparing(JsonNode::toString));
        lb.sort(Comparator.comparing(JsonNode::toString));
      }
      if (la.size() != lb.size()) {
        out.add(path + ":length");
      }
      String each = path + "[*]";
      for (int i = 0; i < Math.min(la.size(), lb.size()); i++) {
        json(each, la.get(i), lb.get(i), out);
      }
    } else if (!kind(a).equals(kind(b))) {
      out.add(path + ":type");
    } else if (a.isNumber()) {
      double d = Math.abs(a.asDouble() - b.asDouble());
      if (options.numericTolerance() > 0 ? d > options.numericTolerance() : !numbersEqual(a, b)) {
        out.add(path);
      }
    } else if (a.isString()) {
      if (!options.clean(a.asString()).equals(options.clean(b.asString()))) {
        out.add(path);
      }
    } else if (!a.equals(b)) {
      out.add(path);
    }
  }

  private static boolean numbersEqual(JsonNode a, JsonNode b) {
    return a.decimalValue().compareTo(b.decimalValue()) == 0;
  }

  private static List<JsonNode> elements(JsonNode array) {
    List<JsonNode> l = new ArrayList<>();
    Iterator<JsonNode> it = array.values().iterator();
    while (it.hasNext()) {
      l.add(it.next());
    }
    return l;
  }

  private static String kind(JsonNode n) {
    return n.isNumber() ? "number" : n.getNodeType().name();
  }

  private static String child(String path, String key) {
    boolean plain =
        !key.isEmpty()
            && key.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-');
    return plain ? path + "." + key : path + "['" + key.replace("'", "\\'") + "']";
  }
}
