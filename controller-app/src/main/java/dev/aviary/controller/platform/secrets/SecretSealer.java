package dev.aviary.controller.platform.secrets;

import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.kernel.SettingViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Walks a request document before it is read: every {@code {"plaintext": "..."}} becomes {@code
 * {"encrypted": "v1:..."}}, so a credential given in the clear is never stored or echoed as such;
 * every {@code {"encrypted": ...}} must open with a configured key (one copied from another
 * installation is refused when written, not when a rollout needs it).
 */
@Component
public class SecretSealer {

  private final SecretCipher cipher;

  SecretSealer(SecretCipher cipher) {
    this.cipher = cipher;
  }

  /**
   * Seals {@code document} in place.
   *
   * @throws InvalidRequestException naming every field that holds a secret that cannot be sealed or
   *     opened
   */
  public JsonNode seal(JsonNode document) {
    List<SettingViolation> errors = new ArrayList<>();
    walk(document, "", errors);
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return document;
  }

  private void walk(JsonNode node, String path, List<SettingViolation> errors) {
    if (node instanceof ObjectNode object) {
      if (object.size() == 1 && object.has("plaintext")) {
        JsonNode value = object.get("plaintext");
        if (!value.isString() || value.asString().isEmpty()) {
          errors.add(error(path + ".plaintext", "must be a non-empty string"));
        } else if (!cipher.canSeal()) {
          errors.add(
              error(
                  path,
                  "a plaintext secret is stored only encrypted, and no encryption key is"
                      + " configured (aviary.security.encryption-key); reference an env variable"
                      + " or a file instead"));
        } else {
          String sealed = cipher.seal(value.asString());
          object.removeAll();
          object.set("encrypted", StringNode.valueOf(sealed));
        }
        return;
      }
      if (object.size() == 1 && object.has("encrypted") && object.get("encrypted").isString()) {
        if (cipher.open(object.get("encrypted").asString()).isEmpty()) {
          errors.add(
              error(
                  path + ".encrypted",
                  "cannot be opened with this controller's keys; give the value again as"
                      + " {\"plaintext\": ...}"));
        }
        return;
      }
      for (Map.Entry<String, JsonNode> field : new ArrayList<>(object.properties())) {
        walk(
            field.getValue(),
            path.isEmpty() ? field.getKey() : path + "." + field.getKey(),
            errors);
      }
    } else if (node != null && node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "[" + i + "]", errors);
      }
    }
  }

  private static SettingViolation error(String field, String message) {
    return new SettingViolation(field.isEmpty() ? "(document)" : field, message);
  }
}
