package dev.aviary.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code -o text|json} of every command that reads something: text for people, or the server's JSON
 * as it answered, for scripts ({@code jq}).
 */
final class Output {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "text",
      description = "text (default) or json: the server's answer, for scripts")
  String format = "text";

  /** Whether JSON was asked for; a format other than text or json is a usage error (64). */
  boolean json() {
    return switch (format) {
      case "json" -> true;
      case "text", "table" -> false;
      default ->
          throw new ParameterException(
              spec.commandLine(), "--output must be text or json, not '" + format + "'");
    };
  }

  static void print(PrintWriter out, JsonNode body) {
    out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    out.flush();
  }
}
