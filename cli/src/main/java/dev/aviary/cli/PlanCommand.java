package dev.aviary.cli;

import dev.aviary.kernel.Durations;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code aviary plan ...}: write and read rollout plans. */
@Command(
    mixinStandardHelpOptions = true,
    name = "plan",
    description = "Write and read rollout plans.",
    subcommands = {
      PlanCommand.Apply.class,
      PlanCommand.Get.class,
      PlanCommand.List_.class,
      PlanCommand.NextSlot.class,
      PlanCommand.Backtest.class
    })
final class PlanCommand {

  @ParentCommand Aviary root;

  /** Creates the plan, or replaces it if it exists (conditionally, on the revision just read). */
  @Command(
      mixinStandardHelpOptions = true,
      name = "apply",
      description = "Create or update a plan from a JSON file.")
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
  @Command(mixinStandardHelpOptions = true, name = "get", description = "Print a plan.")
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

  /**
   * Prints the server group the plan's next release goes to, alone on its line, for a pipeline to
   * deploy the new version there before it starts the rollout.
   */
  @Command(
      mixinStandardHelpOptions = true,
      name = "next-slot",
      description =
          "Print where the plan's next release goes: canary or stable (the router's server group to"
              + " deploy the new version to before 'rollout start').")
  static final class NextSlot implements Callable<Integer> {
    @ParentCommand PlanCommand plan;

    @Parameters(index = "0", description = "The plan's name")
    String name;

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer answer =
          plan.root
              .client()
              .send(
                  "GET",
                  "/api/v1/rollouts/next-slot?plan="
                      + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8),
                  null,
                  Map.of());
      if (!answer.ok()) {
        plan.root.err.println("aviary: " + answer.problem());
        return ExitCodes.ERROR;
      }
      plan.root.out.println(answer.body().path("slot").asString());
      return ExitCodes.SUCCEEDED;
    }
  }

  /**
   * Replays the plan's analysis over a past range and draws each rehearsal as a line of ticks: how
   * the plan would have judged last week's traffic, before a release.
   */
  @Command(
      mixinStandardHelpOptions = true,
      name = "backtest",
      description =
          "Replay a plan's analysis over past traffic: the baseline against itself (false"
              + " rollbacks), or a canary that ran then.")
  static final class Backtest implements Callable<Integer> {
    @ParentCommand PlanCommand plan;

    @Option(names = "--plan", required = true, description = "The plan's name")
    String name;

    @Option(
        names = "--from",
        required = true,
        description = "Start: an RFC 3339 time, or how long ago (24h, 7d)")
    String from;

    @Option(
        names = "--to",
        defaultValue = "now",
        description = "End: an RFC 3339 time, how long ago, or now (default)")
    String to;

    @Option(
        names = "--baseline-version",
        required = true,
        description = "The baseline's version (${version} of its queries)")
    String baselineVersion;

    @Option(
        names = "--canary-version",
        description =
            "A canary version that ran then; without it the baseline is rehearsed"
                + " against itself")
    String canaryVersion;

    @Option(names = "--weight", description = "The canary's share of the split, in percent")
    Integer weight;

    @Option(names = "--seed", description = "The split's seed")
    Long seed;

    @Override
    public Integer call() throws Exception {
      Instant now = Instant.now();
      Instant start;
      Instant end;
      try {
        start = instant(from, now);
        end = instant(to, now);
      } catch (IllegalArgumentException e) {
        plan.root.err.println("aviary: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("from", start.toString());
      body.put("to", end.toString());
      body.put("baseline", Map.of("version", baselineVersion));
      if (canaryVersion != null) {
        body.put("canary", Map.of("version", canaryVersion));
      }
      if (weight != null) {
        body.put("weight", weight);
      }
      if (seed != null) {
        body.put("seed", seed);
      }
      ApiClient.Answer answer =
          plan.root
              .client()
              .send(
                  "POST",
                  "/api/v1/plans/" + name + "/backtest",
                  ApiClient.JSON.valueToTree(body),
                  Map.of());
      if (!answer.ok()) {
        plan.root.err.println("aviary: backtest failed: " + answer.problem());
        return ExitCodes.ERROR;
      }
      print(answer.body());
      return ExitCodes.SUCCEEDED;
    }

    static Instant instant(String text, Instant now) {
      if (text.equals("now")) {
        return now;
      }
      Optional<Duration> ago = Durations.parse(text);
      if (ago.isPresent()) {
        return now.minus(ago.get());
      }
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "'" + text + "' is neither an RFC 3339 time, a duration ago (24h), nor now");
      }
    }

    /** One line per rehearsal, one character per tick, then the totals. */
    private void print(JsonNode r) {
      PrintWriter out = plan.root.out;
      boolean self = r.path("mode").asString("").equals("baseline-against-itself");
      out.printf(
          Locale.ROOT,
          "plan %s (revision %d), %s to %s, %s windows: %s%n",
          r.path("plan").asString(""),
          r.path("revision").asInt(),
          r.path("from").asString(""),
          r.path("to").asString(""),
          r.path("interval").asString(""),
          self
              ? "the baseline against itself (a " + r.path("weight").asInt() + " % split)"
              : "the canary against the baseline");
      out.println("  . waiting   P passed   + passing   x failed   ? inconclusive   R rolled back");
      StringBuilder line = new StringBuilder();
      int current = -1;
      String last = "";
      for (JsonNode t : r.path("ticks")) {
        int rehearsal = t.path("rehearsal").asInt();
        if (rehearsal != current) {
          flush(out, current, line, last);
          line.setLength(0);
          current = rehearsal;
        }
        String decision = t.path("decision").asString("");
        line.append(symbol(decision));
        last = decision;
      }
      flush(out, current, line, last);
      Double median =
          r.path("medianMinutesToPass").isNumber()
              ? r.path("medianMinutesToPass").asDouble()
              : null;
      out.printf(
          Locale.ROOT,
          "%d rehearsals: %d rolled back (%.1f %%), %d passed%s, %d undecided%n",
          r.path("rehearsals").asInt(),
          r.path("rolledBack").asInt(),
          100 * r.path("rollbackRate").asDouble(),
          r.path("passed").asInt(),
          median == null ? "" : String.format(Locale.ROOT, " (median %.1f min)", median),
          r.path("undecided").asInt());
    }

    private static void flush(PrintWriter out, int rehearsal, StringBuilder line, String last) {
      if (rehearsal < 0) {
        return;
      }
      String shown = line.length() > 120 ? line.substring(0, 119) + "…" : line.toString();
      out.printf(Locale.ROOT, "rehearsal %3d %s  %s%n", rehearsal + 1, shown, last);
    }

    private static char symbol(String decision) {
      if (decision.startsWith("rolled back")) {
        return 'R';
      }
      if (decision.startsWith("passed")) {
        return 'P';
      }
      if (decision.startsWith("passing")) {
        return '+';
      }
      if (decision.startsWith("failed")) {
        return 'x';
      }
      if (decision.startsWith("waiting")) {
        return '.';
      }
      return '?';
    }
  }

  /** Lists plans: one line each. */
  @Command(mixinStandardHelpOptions = true, name = "list", description = "List plans.")
  static final class List_ implements Callable<Integer> {
    @ParentCommand PlanCommand plan;

    @Option(names = "--prefix", description = "Only plans whose name starts with this")
    @org.jspecify.annotations.Nullable
    String prefix;

    @Override
    public Integer call() throws Exception {
      String query =
          "?size=200"
              + (prefix == null
                  ? ""
                  : "&namePrefix="
                      + java.net.URLEncoder.encode(
                          prefix, java.nio.charset.StandardCharsets.UTF_8));
      ApiClient.Answer answer =
          plan.root.client().send("GET", "/api/v1/plans" + query, null, Map.of());
      if (!answer.ok()) {
        plan.root.err.println("aviary: " + answer.problem());
        return ExitCodes.ERROR;
      }
      String format = "%-32s %8s %-12s %s%n";
      plan.root.out.printf(format, "NAME", "REVISION", "ROUTER", "STEPS");
      for (JsonNode p : answer.body().path("items")) {
        JsonNode doc = p.has("spec") ? p.path("spec") : p;
        plan.root.out.printf(
            format,
            p.path("name").asString(),
            p.path("revision").asInt(),
            doc.path("router").path("type").asString(""),
            doc.path("steps").size());
      }
      return ExitCodes.SUCCEEDED;
    }
  }
}
