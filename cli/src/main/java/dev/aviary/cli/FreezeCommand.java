package dev.aviary.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code aviary freeze ...}: declare, list and lift release freezes (declare and lift: admin). */
@Command(
    mixinStandardHelpOptions = true,
    name = "freeze",
    description =
        "Declare, list and lift release freezes: the plans a freeze covers hold their weight"
            + " until it ends (declare and lift need an admin token).",
    subcommands = {FreezeCommand.Start.class, FreezeCommand.List_.class, FreezeCommand.Lift.class})
final class FreezeCommand {

  @ParentCommand Aviary root;

  /** Until when: an instant, or a duration from the start. */
  static final class End {
    @Option(
        names = "--until",
        required = true,
        description = "When it ends, e.g. 2026-12-27T06:00:00Z")
    @Nullable String until;

    @Option(names = "--for", required = true, description = "How long, e.g. 48h")
    @Nullable String duration;
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "start",
      description = "Declare a freeze, now or from --from.")
  static final class Start implements Callable<Integer> {
    @ParentCommand FreezeCommand parent;

    @Option(names = "--reason", required = true, description = "Why: shown in every held rollout")
    String reason;

    @ArgGroup(multiplicity = "1")
    End end = new End();

    @Option(names = "--from", description = "When it begins (default: now)")
    @Nullable String from;

    @Option(
        names = "--label",
        description = "key=value a plan must carry to be frozen (repeatable; none: every plan)")
    Map<String, String> labels = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("reason", reason);
      if (!labels.isEmpty()) {
        body.put("labels", labels);
      }
      if (from != null) {
        body.put("from", from);
      }
      if (end.until != null) {
        body.put("until", end.until);
      }
      if (end.duration != null) {
        body.put("duration", end.duration);
      }
      ApiClient.Answer answer =
          parent.root.client().send("POST", "/api/v1/freezes", body, Map.of());
      if (!answer.ok()) {
        parent.root.err.println("aviary: the freeze was not declared: " + answer.problem());
        return ExitCodes.ERROR;
      }
      parent.root.out.println("freeze " + describe(answer.body()));
      return ExitCodes.SUCCEEDED;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "list",
      description = "Freezes in force or to come; with --all, past and lifted ones too.")
  static final class List_ implements Callable<Integer> {
    @ParentCommand FreezeCommand parent;

    @Option(names = "--all", description = "Past and lifted freezes too")
    boolean all;

    @picocli.CommandLine.Mixin Output output = new Output();

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer answer =
          parent
              .root
              .client()
              .send("GET", "/api/v1/freezes" + (all ? "?all=true" : ""), null, Map.of());
      return output.items(parent.root, answer, FreezeCommand::describe);
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "lift",
      description = "Lift a freeze before its end: the rollouts it held go on.")
  static final class Lift implements Callable<Integer> {
    @ParentCommand FreezeCommand parent;

    @Parameters(index = "0", description = "The freeze's id")
    String id;

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer answer =
          parent.root.client().send("DELETE", "/api/v1/freezes/" + id, null, Map.of());
      if (!answer.ok()) {
        parent.root.err.println("aviary: " + answer.problem());
        return ExitCodes.ERROR;
      }
      parent.root.out.println("lifted: " + describe(answer.body()));
      return ExitCodes.SUCCEEDED;
    }
  }

  /** One line: {@code <id> "reason" on tier=1, 2026-… until 2026-…, in force}. */
  static String describe(JsonNode f) {
    Map<String, String> labels = new TreeMap<>();
    f.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
    String state =
        f.path("liftedAt").isString()
            ? "lifted by " + f.path("liftedBy").asString()
            : f.path("inForce").asBoolean() ? "in force" : "not in force";
    return f.path("id").asString()
        + " \""
        + f.path("reason").asString()
        + "\" on "
        + (labels.isEmpty()
            ? "every plan"
            : String.join(
                ",", labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()))
        + ", "
        + f.path("from").asString()
        + " until "
        + f.path("until").asString()
        + ", "
        + state;
  }
}
