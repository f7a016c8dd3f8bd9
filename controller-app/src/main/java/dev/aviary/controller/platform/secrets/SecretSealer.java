package dev.aviary.controller.platform.secrets;

import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.kernel.SettingViolation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Walks a plan document before it is read. A file reference must name a file an admin allows plans
 * to read ({@link SecretFiles}), an environment variable must not be one of Aviary's own. Every
 * {@code {"plaintext": "..."}} becomes {@code {"encrypted": "v2:..."}}, sealed for this plan and
 * this field, so a credential given in the clear is never stored or echoed as such. Every {@code
 * {"encrypted": ...}} must open with a configured key (one copied from another installation is
 * refused when written, not when a rollout needs it) and must have been sealed for this plan and
 * field: a sealed value is readable by viewers, and copied into a plan its author controls it would
 * otherwise send the credential wherever that plan points. The field is named without array
 * positions ({@code analysis.metrics.provider.http.bearer}), so reordering a plan's metrics keeps
 * its values.
 */
@Component
public class SecretSealer {

  private final SecretCipher cipher;
  private final SecretFiles files;

  SecretSealer(SecretCipher cipher, SecretFiles files) {
    this.cipher = cipher;
    this.files = files;
  }

  /**
   * Seals {@code document}, the plan {@code plan}, in place.
   *
   * @param stored the sealed values of the plan as stored now: a value of the older unbound form
   *     ({@code v1:}) is accepted only from there, and sealed again bound to its field
   * @throws InvalidRequestException naming every field that holds a secret that cannot be sealed or
   *     opened, or that was sealed for another plan or field
   */
  public JsonNode seal(JsonNode document, String plan, Set<String> stored) {
    List<SettingViolation> errors = new ArrayList<>();
    walk(document, "", "", plan, stored, errors);
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return document;
  }

  /** What a sealed value in {@code plan} at {@code field} (without array positions) is bound to. */
  public static String binding(String plan, String field) {
    return "plan " + plan + ", field " + field;
  }

  private void walk(
      JsonNode node,
      String path,
      String field,
      String plan,
      Set<String> stored,
      List<SettingViolation> errors) {
    if (node instanceof ObjectNode object) {
      String binding = binding(plan, field);
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
          object.removeAll();
          object.set("encrypted", StringNode.valueOf(cipher.seal(value.asString(), binding)));
        }
        return;
      }
      if (object.size() == 1 && object.has("file") && object.get("file").isString()) {
        files
            .refusal(object.get("file").asString())
            .ifPresent(why -> errors.add(error(path + ".file", why)));
        return;
      }
      if (object.size() == 1 && object.has("env") && object.get("env").isString()) {
        if (SecretsConfiguration.isOwnVariable(object.get("env").asString())) {
          errors.add(
              error(path + ".env", "is one of Aviary's own secrets, which plans cannot reference"));
        }
        return;
      }
      if (object.size() == 1 && object.has("encrypted") && object.get("encrypted").isString()) {
        String sealed = object.get("encrypted").asString();
        Optional<SecretCipher.Opened> opened = cipher.openBound(sealed);
        if (opened.isEmpty()) {
          errors.add(
              error(
                  path + ".encrypted",
                  "cannot be opened with this controller's keys; give the value again as"
                      + " {\"plaintext\": ...}"));
        } else if (opened.get().binding() == null) {
          if (stored.contains(sealed) && cipher.canSeal()) {
            // the plan's own value from before values were bound: bind it where it stands
            object.set(
                "encrypted", StringNode.valueOf(cipher.seal(opened.get().plaintext(), binding)));
          } else {
            errors.add(
                error(
                    path + ".encrypted",
                    "was sealed before sealed values were bound to their plan and field, and is"
                        + " not this plan's; give the value again as {\"plaintext\": ...}"));
          }
        } else if (!binding.equals(opened.get().binding())) {
          errors.add(
              error(
                  path + ".encrypted",
                  "was sealed for "
                      + opened.get().binding()
                      + ", and opens only there; give the value again as {\"plaintext\": ...}"));
        }
        return;
      }
      for (Map.Entry<String, JsonNode> entry : new ArrayList<>(object.properties())) {
        String key = entry.getKey();
        walk(
            entry.getValue(),
            path.isEmpty() ? key : path + "." + key,
            field.isEmpty() ? key : field + "." + key,
            plan,
            stored,
            errors);
      }
    } else if (node != null && node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "[" + i + "]", field, plan, stored, errors);
      }
    }
  }

  /** Every sealed value in {@code document}: what {@link #seal} accepts unbound values from. */
  public static Set<String> sealedValues(JsonNode document) {
    Set<String> found = new HashSet<>();
    collect(document, found);
    return found;
  }

  private static void collect(JsonNode node, Set<String> found) {
    if (node instanceof ObjectNode object) {
      if (object.size() == 1 && object.has("encrypted") && object.get("encrypted").isString()) {
        found.add(object.get("encrypted").asString());
        return;
      }
      for (Map.Entry<String, JsonNode> entry : object.properties()) {
        collect(entry.getValue(), found);
      }
    } else if (node != null && node.isArray()) {
      for (JsonNode element : node) {
        collect(element, found);
      }
    }
  }

  private static SettingViolation error(String field, String message) {
    return new SettingViolation(field.isEmpty() ? "(document)" : field, message);
  }
}
