package dev.aviary.controller.platform.web;

import dev.aviary.controller.platform.InvalidRequestException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request document kept whole, for documents a service reads itself: a plan (whose router,
 * provider and judge settings only the adapters they name can check), a judgement request (whose
 * options depend on the judge), a token request (whose limits are the controller's settings). Each
 * is read by its feature's reader, which names every violation at once; the endpoint declares the
 * document's shape for the OpenAPI document with {@code
 * io.swagger.v3.oas.annotations.parameters.RequestBody}.
 *
 * @param document the JSON object
 */
@JsonDeserialize(using = ObjectBody.Reader.class)
public record ObjectBody(ObjectNode document) {

  static final class Reader extends ValueDeserializer<ObjectBody> {
    @Override
    public ObjectBody deserialize(JsonParser p, DeserializationContext ctxt) {
      JsonNode node = ctxt.readTree(p);
      if (!(node instanceof ObjectNode object)) {
        throw InvalidRequestException.of("", "the body must be a JSON object");
      }
      java.util.List<dev.aviary.kernel.SettingViolation> control =
          ControlCharacters.violations(object);
      if (!control.isEmpty()) {
        throw new InvalidRequestException(control);
      }
      return new ObjectBody(object);
    }
  }
}
