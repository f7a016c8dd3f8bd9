package dev.aviary.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code aviary notification ...}: what the plans' notifications did, and sending one again. */
@Command(
    mixinStandardHelpOptions = true,
    name = "notification",
    description =
        "List the deliveries of notifications (--failed: the ones given up) and send one again"
            + " (retry needs an operator token).",
    subcommands = {NotificationCommand.List_.class, NotificationCommand.Retry.class})
final class NotificationCommand {

  @ParentCommand Aviary root;

  @Command(
      mixinStandardHelpOptions = true,
      name = "list",
      description = "List deliveries, newest first.")
  static final class List_ implements Callable<Integer> {
    @ParentCommand NotificationCommand parent;

    @picocli.CommandLine.Mixin Output output = new Output();

    @Option(names = "--failed", description = "Only the deliveries given up")
    boolean failed;

    @Option(names = "--state", description = "pending, delivered or failed")
    String state;

    @Option(names = "--plan", description = "Only this plan's")
    String plan;

    @Option(names = "--rollout", description = "Only this rollout's")
    String rollout;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many (1-500)")
    int limit;

    @Override
    public Integer call() throws Exception {
      List<String> query = new ArrayList<>();
      String s = failed ? "failed" : state;
      if (s != null) {
        query.add("state=" + encode(s));
      }
      if (plan != null) {
        query.add("plan=" + encode(plan));
      }
      if (rollout != null) {
        query.add("rollout=" + encode(rollout));
      }
      query.add("limit=" + limit);
      ApiClient.Answer answer =
          parent
              .root
              .client()
              .send("GET", "/api/v1/notifications?" + String.join("&", query), null, Map.of());
      return output.items(parent.root, answer, NotificationCommand::describe);
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "retry",
      description = "Send a failed or pending delivery again now, with a fresh count of attempts.")
  static final class Retry implements Callable<Integer> {
    @ParentCommand NotificationCommand parent;

    @Parameters(index = "0", description = "The delivery's id")
    long id;

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer answer =
          parent
              .root
              .client()
              .send("POST", "/api/v1/notifications/" + id + "/retry", null, Map.of());
      if (!answer.ok()) {
        parent.root.err.println("aviary: " + answer.problem());
        return ExitCodes.ERROR;
      }
      parent.root.out.println("sending again: " + describe(answer.body()));
      return ExitCodes.SUCCEEDED;
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * {@code 812 failed github https://api.github.com acme/shop promoted of checkout (rollout 820f…)
   * after 1 attempt: api.github.com answered HTTP 401: …}.
   */
  static String describe(JsonNode d) {
    String state = d.path("state").asString();
    int attempts = d.path("attempts").asInt();
    StringBuilder line =
        new StringBuilder()
            .append(d.path("id").asLong())
            .append(' ')
            .append(String.format("%-9s", state))
            .append(' ')
            .append(d.path("channel").asString())
            .append(' ')
            .append(d.path("destination").asString())
            .append("  ")
            .append(d.path("event").asString())
            .append(" of ")
            .append(d.path("plan").asString())
            .append(" (rollout ")
            .append(d.path("rollout").asString())
            .append(')');
    if (attempts > 0 && !state.equals("delivered")) {
      line.append(" after ").append(attempts).append(attempts == 1 ? " attempt" : " attempts");
    }
    if (!d.path("lastError").isNull() && !d.path("lastError").asString("").isEmpty()) {
      line.append(": ").append(d.path("lastError").asString());
    }
    if (state.equals("pending") && !d.path("nextAttemptAt").isNull()) {
      line.append("; next at ").append(d.path("nextAttemptAt").asString());
    }
    return line.toString();
  }
}
