package dev.aviary.controller.platform.web;

import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a request record from its JSON object the way Aviary reads every document: the whole object
 * first, then every field checked, and every violation named in one 400 problem — never the first
 * type mismatch alone, as plain binding would. A request record names its reader with
 * {@code @JsonDeserialize(using = ...)}.
 *
 * @param <T> the request record
 */
public abstract class DocumentReader<T> extends ValueDeserializer<T> {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  /** Checks {@code document} and builds the record, or names every violation. */
  protected abstract Parsed<T> read(Map<String, Object> document);

  @Override
  public @Nullable T deserialize(JsonParser p, DeserializationContext ctxt) {
    JsonNode node = ctxt.readTree(p);
    if (node == null || !node.isObject()) {
      throw InvalidRequestException.of("", "the body must be a JSON object");
    }
    List<SettingViolation> control = ControlCharacters.violations(node);
    if (!control.isEmpty()) {
      throw new InvalidRequestException(control);
    }
    Parsed<T> parsed = read(JSON.convertValue(node, MAP));
    if (!parsed.valid()) {
      throw new InvalidRequestException(parsed.violations());
    }
    return parsed.get();
  }
}
