package dev.aviary.cli;

import java.io.PrintWriter;
import java.util.function.Function;
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

  /**
   * A list the server answered ({@code {"items": [...]}}): the problem when it refused, the JSON
   * when asked for, else one line per item. Returns the exit code.
   */
  int items(Aviary root, ApiClient.Answer answer, Function<JsonNode, String> line) {
    if (!answer.ok()) {
      root.err.println("aviary: " + answer.problem());
      return ExitCodes.ERROR;
    }
    if (json()) {
      print(root.out, answer.body());
      return ExitCodes.SUCCEEDED;
    }
    for (JsonNode item : answer.body().path("items")) {
      root.out.println(line.apply(item));
    }
    return ExitCodes.SUCCEEDED;
  }

  static void print(PrintWriter out, JsonNode body) {
    out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    out.flush();
  }
}
