package dev.aviary.controller.platform.web;

import dev.aviary.kernel.SettingViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Text that is not text: C0 control characters (NUL above all, which PostgreSQL cannot store) and
 * DEL, anywhere in a request. Tabs and line breaks are allowed in bodies, where descriptions may
 * hold them.
 */
final class ControlCharacters {

  private ControlCharacters() {}

  /** Whether {@code s} holds a control character; {@code multiline} allows tab, CR and LF. */
  static boolean in(String s, boolean multiline) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 || c == 0x7f) && !(multiline && (c == '\t' || c == '\n' || c == '\r'))) {
        return true;
      }
    }
    return false;
  }

  /** Every member name or string in {@code node} that holds one, named by its path. */
  static List<SettingViolation> violations(JsonNode node) {
    List<SettingViolation> found = new ArrayList<>();
    walk(node, "", found);
    return found;
  }

  private static void walk(JsonNode node, String path, List<SettingViolation> found) {
    if (node.isString()) {
      if (in(node.asString(), true)) {
        found.add(
            new SettingViolation(
                path.isEmpty() ? "(document)" : path,
                "must not contain control characters such as NUL (U+0000)"));
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (in(e.getKey(), false)) {
          found.add(
              new SettingViolation(child, "a member name must not contain control characters"));
        } else {
          walk(e.getValue(), child, found);
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "[" + i + "]", found);
      }
    }
  }
}
