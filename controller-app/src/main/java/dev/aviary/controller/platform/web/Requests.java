package dev.aviary.controller.platform.web;

import dev.aviary.controller.platform.InvalidRequestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Shared reading of request parts: JSON object bodies, paging and label filters. */
@Component
public class Requests {

  public static final int MAX_PAGE_SIZE = 200;
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final JsonMapper json;

  Requests(JsonMapper json) {
    this.json = json;
  }

  /**
   * The body as a map; a body that is not a JSON object is a 400 naming it. Members set to {@code
   * null} are left out, at every depth, as JSON clients mean them: generated clients send every
   * optional field, unset ones as null. (Nulls inside arrays stay: there they are gaps in data.)
   */
  public Map<String, Object> object(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw InvalidRequestException.of("", "the body must be a JSON object");
    }
    return json.convertValue(withoutNullMembers(body.deepCopy()), MAP);
  }

  /** A read model as the JSON tree it is answered as. */
  public JsonNode tree(Object value) {
    return json.valueToTree(value);
  }

  private static JsonNode withoutNullMembers(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> nulls = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        if (e.getValue().isNull()) {
          nulls.add(e.getKey());
        } else {
          withoutNullMembers(e.getValue());
        }
      }
      nulls.forEach(object::remove);
    } else if (node.isArray()) {
      node.forEach(Requests::withoutNullMembers);
    }
    return node;
  }

  /** Checked paging parameters. */
  public PageRequest page(int page, int size) {
    List<dev.aviary.kernel.SettingViolation> violations = new ArrayList<>();
    if (page < 0) {
      violations.add(new dev.aviary.kernel.SettingViolation("page", "must be 0 or more"));
    }
    if (size < 1 || size > MAX_PAGE_SIZE) {
      violations.add(
          new dev.aviary.kernel.SettingViolation("size", "must be between 1 and " + MAX_PAGE_SIZE));
    }
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    return new PageRequest(page, size);
  }

  /** Label filters written {@code key=value}. */
  public Map<String, String> labels(String parameter, List<String> filters) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (filters == null) {
      return labels;
    }
    for (String f : filters) {
      int eq = f.indexOf('=');
      if (eq <= 0) {
        throw InvalidRequestException.of(parameter, "must be written key=value, was '" + f + "'");
      }
      labels.put(f.substring(0, eq), f.substring(eq + 1));
    }
    return labels;
  }

  /** Zero-based page and its size. */
  public record PageRequest(int page, int size) {}
}
