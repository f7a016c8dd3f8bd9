package dev.aviary.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code aviary limit ...}: concurrency limits on labelled plans (set and remove: admin). */
@Command(
    mixinStandardHelpOptions = true,
    name = "limit",
    description =
        "Set, list and remove concurrency limits: at most so many rollouts at once of the plans"
            + " carrying some labels (set and remove need an admin token).",
    subcommands = {LimitCommand.Set_.class, LimitCommand.List_.class, LimitCommand.Remove.class})
final class LimitCommand {

  @ParentCommand Aviary root;

  @Command(
      mixinStandardHelpOptions = true,
      name = "set",
      description = "Set a limit; rollouts past it wait in PENDING, at 0 %, oldest first.")
  static final class Set_ implements Callable<Integer> {
    @ParentCommand LimitCommand parent;

    @Option(
        names = "--label",
        required = true,
        description = "key=value a plan must carry to count (repeatable)")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--max", required = true, description = "Rollouts under way at once")
    int max;

    @Option(names = "--reason", required = true, description = "Why: shown to waiting rollouts")
    String reason;

    @Override
    public Integer call() throws Exception {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("labels", labels);
      body.put("maxActive", max);
      body.put("reason", reason);
      ApiClient.Answer answer =
          parent.root.client().send("POST", "/api/v1/concurrency-limits", body, Map.of());
      if (!answer.ok()) {
        parent.root.err.println("aviary: the limit was not set: " + answer.problem());
        return ExitCodes.ERROR;
      }
      parent.root.out.println("limit " + describe(answer.body()));
      return ExitCodes.SUCCEEDED;
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "list", description = "List the limits.")
  static final class List_ implements Callable<Integer> {
    @ParentCommand LimitCommand parent;

    @picocli.CommandLine.Mixin Output output = new Output();

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer answer =
          parent.root.client().send("GET", "/api/v1/concurrency-limits", null, Map.of());
      return output.items(parent.root, answer, LimitCommand::describe);
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "remove",
      description = "Remove a limit; rollouts waiting for it begin at their next tick.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand LimitCommand parent;

    @Parameters(index = "0", description = "The limit's id")
    String id;

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer answer =
          parent.root.client().send("DELETE", "/api/v1/concurrency-limits/" + id, null, Map.of());
      if (!answer.ok()) {
        parent.root.err.println("aviary: " + answer.problem());
        return ExitCodes.ERROR;
      }
      parent.root.out.println("limit " + id + " removed");
      return ExitCodes.SUCCEEDED;
    }
  }

  /** {@code <id> at most 1 rollout at once of tier=1 ("reason"), set by token:ops}. */
  static String describe(JsonNode l) {
    Map<String, String> labels = new TreeMap<>();
    l.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
    int max = l.path("maxActive").asInt();
    return l.path("id").asString()
        + " at most "
        + max
        + (max == 1 ? " rollout" : " rollouts")
        + " at once of "
        + String.join(
            ",", labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
        + " (\""
        + l.path("reason").asString()
        + "\"), set by "
        + l.path("createdBy").asString();
  }
}
