package dev.aviary.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code aviary template ...}: write and read metric templates, as plans are. */
@Command(
    mixinStandardHelpOptions = true,
    name = "template",
    description = "Write and read metric templates: a metric's queries, named by plans.",
    subcommands = {
      TemplateCommand.Apply.class,
      TemplateCommand.Get.class,
      TemplateCommand.Delete.class,
      TemplateCommand.List_.class
    })
final class TemplateCommand {

  private static final String BASE = "/api/v1/metric-templates";

  @ParentCommand Aviary root;

  /**
   * Creates the template, or replaces it (conditionally, on the revision just read); says
   * "unchanged" when the file says what the template already says. A change that would leave a plan
   * invalid is refused by the server, naming the plan.
   */
  @Command(
      mixinStandardHelpOptions = true,
      name = "apply",
      description = "Create or update a metric template from a JSON or YAML file.")
  static final class Apply implements Callable<Integer> {
    @ParentCommand TemplateCommand template;

    @Option(
        names = {"-f", "--file"},
        required = true,
        description = "The template document: JSON, or YAML (.yaml, .yml)")
    Path file;

    @Override
    public Integer call() throws Exception {
      return PlanCommand.apply(template.root, "template", BASE, file);
    }
  }

  /** Prints a template as the server holds it, with the plans that use it. */
  @Command(mixinStandardHelpOptions = true, name = "get", description = "Print a template.")
  static final class Get implements Callable<Integer> {
    @ParentCommand TemplateCommand template;

    @Parameters(index = "0", description = "The template's name")
    String name;

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer answer =
          template.root.client().send("GET", BASE + "/" + PlanCommand.encode(name), null, Map.of());
      if (!answer.ok()) {
        template.root.err.println("aviary: " + answer.problem());
        return ExitCodes.ERROR;
      }
      template.root.out.println(
          ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer.body()));
      return ExitCodes.SUCCEEDED;
    }
  }

  /** Deletes a template no plan uses; its revisions stay readable. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "delete",
      description = "Delete a template (refused while a plan uses it); its history stays.")
  static final class Delete implements Callable<Integer> {
    @ParentCommand TemplateCommand template;

    @Parameters(index = "0", description = "The template's name")
    String name;

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer answer =
          template
              .root
              .client()
              .send("DELETE", BASE + "/" + PlanCommand.encode(name), null, Map.of());
      if (!answer.ok()) {
        template.root.err.println(
            "aviary: template " + name + " was not deleted: " + answer.problem());
        return ExitCodes.ERROR;
      }
      template.root.out.println("template " + name + " deleted");
      return ExitCodes.SUCCEEDED;
    }
  }

  /** Lists templates: one line each, with the plans that use them. */
  @Command(mixinStandardHelpOptions = true, name = "list", description = "List templates.")
  static final class List_ implements Callable<Integer> {
    @ParentCommand TemplateCommand template;

    @picocli.CommandLine.Mixin Output output = new Output();

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer answer = template.root.client().send("GET", BASE, null, Map.of());
      if (!answer.ok()) {
        template.root.err.println("aviary: " + answer.problem());
        return ExitCodes.ERROR;
      }
      if (output.json()) {
        Output.print(template.root.out, answer.body());
        return ExitCodes.SUCCEEDED;
      }
      String format = "%-32s %8s %-10s %-12s %s%n";
      template.root.out.printf(format, "NAME", "REVISION", "SHAPE", "PROVIDER", "USED BY");
      for (JsonNode t : answer.body().path("items")) {
        String shape = t.has("counts") ? "counts" : t.has("histogram") ? "histogram" : "query";
        java.util.List<String> users = new java.util.ArrayList<>();
        t.path("usedBy").forEach(u -> users.add(u.asString()));
        template.root.out.printf(
            format,
            t.path("name").asString(),
            t.path("revision").asInt(),
            shape,
            t.path("provider").path("type").asString("(the plan's)"),
            users.isEmpty() ? "-" : String.join(", ", users));
      }
      return ExitCodes.SUCCEEDED;
    }
  }
}
