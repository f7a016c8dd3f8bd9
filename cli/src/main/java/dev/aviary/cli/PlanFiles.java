package dev.aviary.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a plan file: JSON, or YAML when the name ends in {@code .yaml} or {@code .yml} (or the text
 * does not start with a brace). A file that does not parse is named with the line and column where
 * it went wrong.
 */
final class PlanFiles {

  private static final ObjectMapper YAML = YAMLMapper.builder().build();

  private PlanFiles() {}

  /** A plan file that cannot be used, in words that say where. */
  static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message);
    }
  }

  static JsonNode read(Path file) throws Unreadable {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new Unreadable("no such file: " + file);
    } catch (IOException e) {
      throw new Unreadable(file + ": cannot be read (" + e.getMessage() + ")");
    }
    boolean yaml = isYaml(file, text);
    JsonNode doc;
    try {
      doc = (yaml ? YAML : ApiClient.JSON).readTree(text);
    } catch (JacksonException e) {
      throw new Unreadable(
          file + where(e) + ": not valid " + (yaml ? "YAML" : "JSON") + ": " + what(e));
    }
    if (doc == null || !doc.isObject()) {
      throw new Unreadable(
          file + ": a plan is an object (" + (yaml ? "a YAML mapping" : "{…}") + ")");
    }
    return doc;
  }

  private static boolean isYaml(Path file, String text) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      return true;
    }
    if (name.endsWith(".json")) {
      return false;
    }
    return !text.stripLeading().startsWith("{");
  }

  private static String where(JacksonException e) {
    TokenStreamLocation at = e.getLocation();
    if (at == null || at.getLineNr() < 1) {
      return "";
    }
    return ", line "
        + at.getLineNr()
        + (at.getColumnNr() > 0 ? ", column " + at.getColumnNr() : "");
  }

  /** The parser's own words, without the location and source excerpt Jackson appends. */
  private static String what(JacksonException e) {
    String message = e.getOriginalMessage();
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
