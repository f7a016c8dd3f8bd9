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
      Aviary root = template.root;
      JsonNode doc;
      try {
        doc = PlanFiles.read(file);
      } catch (PlanFiles.Unreadable e) {
        root.err.println("aviary: " + e.getMessage());
        return ExitCodes.ERROR;
      }
      String name = doc.path("name").asString("");
      if (name.isEmpty()) {
        root.err.println("aviary: " + file + " has no \"name\"");
        return ExitCodes.USAGE;
      }
      ApiClient api = root.client();
      ApiClient.Answer existing =
          api.send("GET", BASE + "/" + PlanCommand.encode(name), null, Map.of());
      ApiClient.Answer written;
      if (existing.status() == 404) {
        written = api.send("POST", BASE, doc, Map.of());
      } else if (existing.ok()) {
        String etag = existing.raw().headers().firstValue("ETag").orElse("*");
        written =
            api.send("PUT", BASE + "/" + PlanCommand.encode(name), doc, Map.of("If-Match", etag));
      } else {
        root.err.println("aviary: reading template " + name + " failed: " + existing.problem());
        return ExitCodes.ERROR;
      }
      if (!written.ok()) {
        root.err.println("aviary: template " + name + " was not written: " + written.problem());
        return ExitCodes.ERROR;
      }
      int revision = written.body().path("revision").asInt();
      String what =
          written.status() == 201
              ? "created"
              : revision == existing.body().path("revision").asInt() ? "unchanged" : "updated";
      root.out.println("template " + name + " " + what + ", revision " + revision);
      return ExitCodes.SUCCEEDED;
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
