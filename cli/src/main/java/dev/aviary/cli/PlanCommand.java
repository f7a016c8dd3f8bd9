package dev.aviary.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code aviary plan ...}: write and read rollout plans. */
@Command(
    name = "plan",
    description = "Write and read rollout plans.",
    subcommands = {PlanCommand.Apply.class, PlanCommand.Get.class})
final class PlanCommand {

  @ParentCommand Aviary root;

  /** Creates the plan, or replaces it if it exists (conditionally, on the revision just read). */
  @Command(name = "apply", description = "Create or update a plan from a JSON file.")
  static final class Apply implements Callable<Integer> {
    @ParentCommand PlanCommand plan;

    @Option(
        names = {"-f", "--file"},
        required = true,
        description = "The plan document (JSON)")
    Path file;

    @Override
    public Integer call() throws Exception {
      Aviary root = plan.root;
      ApiClient api = root.client();
      JsonNode doc = ApiClient.JSON.readTree(Files.readString(file));
      String name = doc.path("name").asString("");
      if (name.isEmpty()) {
        root.err.println("aviary: " + file + " has no \"name\"");
        return ExitCodes.USAGE;
      }
      ApiClient.Answer existing = api.send("GET", "/api/v1/plans/" + name, null, Map.of());
      ApiClient.Answer written;
      if (existing.status() == 404) {
        written = api.send("POST", "/api/v1/plans", doc, Map.of());
      } else if (existing.ok()) {
        String etag = existing.raw().headers().firstValue("ETag").orElse("*");
        written = api.send("PUT", "/api/v1/plans/" + name, doc, Map.of("If-Match", etag));
      } else {
        root.err.println("aviary: reading plan " + name + " failed: " + existing.problem());
        return ExitCodes.ERROR;
      }
      if (!written.ok()) {
        root.err.println("aviary: plan " + name + " was not written: " + written.problem());
        return ExitCodes.ERROR;
      }
      root.out.println(
          "plan "
              + name
              + " "
              + (written.status() == 201 ? "created" : "updated")
              + ", revision "
              + written.body().path("revision").asInt());
      return ExitCodes.SUCCEEDED;
    }
  }

  /** Prints a plan as the server holds it (defaults filled in). */
  @Command(name = "get", description = "Print a plan.")
  static final class Get implements Callable<Integer> {
    @ParentCommand PlanCommand plan;

    @Parameters(index = "0", description = "The plan's name")
    String name;

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer answer =
          plan.root.client().send("GET", "/api/v1/plans/" + name, null, Map.of());
      if (!answer.ok()) {
        plan.root.err.println("aviary: " + answer.problem());
        return ExitCodes.ERROR;
      }
      plan.root.out.println(
          ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer.body()));
      return ExitCodes.SUCCEEDED;
    }
  }
}
