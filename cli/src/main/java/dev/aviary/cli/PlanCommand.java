package dev.aviary.cli;

import dev.aviary.kernel.Durations;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
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
      PlanCommand.Delete.class,
      PlanCommand.Diff.class,
      PlanCommand.List_.class,
      PlanCommand.NextSlot.class,
      PlanCommand.Check.class,
      PlanCommand.Backtest.class
    })
final class PlanCommand {

  @ParentCommand Aviary root;

  /**
   * Creates the plan, or replaces it if it exists (conditionally, on the revision just read); says
   * "unchanged" when the file says what the plan already says.
   */
  @Command(
      mixinStandardHelpOptions = true,
      name = "apply",
      description = "Create or update a plan from a JSON or YAML file.")
  static final class Apply implements Callable<Integer> {
    @ParentCommand PlanCommand plan;

    @Option(
        names = {"-f", "--file"},
        required = true,
        description = "The plan document: JSON, or YAML (.yaml, .yml)")
    Path file;

    @Override
    public Integer call() throws Exception {
      return apply(plan.root, "plan", "/api/v1/plans", file);
    }
  }

  /**
   * Creates the {@code kind} document in {@code file} at {@code base}, or replaces it on the
   * revision just read ({@code If-Match}); prints "created", "updated" or "unchanged" with the
   * revision, as {@code kubectl apply} users expect.
   */
  static int apply(Aviary root, String kind, String base, Path file) throws Exception {
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
    ApiClient.Answer existing = api.send("GET", base + "/" + encode(name), null, Map.of());
    ApiClient.Answer written;
    if (existing.status() == 404) {
      written = api.send("POST", base, doc, Map.of());
    } else if (existing.ok()) {
      String etag = existing.raw().headers().firstValue("ETag").orElse("*");
      written = api.send("PUT", base + "/" + encode(name), doc, Map.of("If-Match", etag));
    } else {
      root.err.println("aviary: reading " + kind + " " + name + " failed: " + existing.problem());
      return ExitCodes.ERROR;
    }
    if (!written.ok()) {
      root.err.println("aviary: " + kind + " " + name + " was not written: " + written.problem());
      return ExitCodes.ERROR;
    }
    int revision = written.body().path("revision").asInt();
    String what =
        written.status() == 201
            ? "created"
            : revision == existing.body().path("revision").asInt() ? "unchanged" : "updated";
    root.out.println(kind + " " + name + " " + what + ", revision " + revision);
    return ExitCodes.SUCCEEDED;
  }

  /** Deletes a plan; its revisions stay readable. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "delete",
      description = "Delete a plan (refused while it has an active rollout); its history stays.")
  static final class Delete implements Callable<Integer> {
    @ParentCommand PlanCommand plan;

    @Parameters(index = "0", description = "The plan's name")
    String name;

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer answer =
          plan.root.client().send("DELETE", "/api/v1/plans/" + encode(name), null, Map.of());
      if (!answer.ok()) {
        plan.root.err.println("aviary: plan " + name + " was not deleted: " + answer.problem());
        return ExitCodes.ERROR;
      }
      plan.root.out.println("plan " + name + " deleted");
      return ExitCodes.SUCCEEDED;
    }
  }

  /**
   * What would change: the stored plan against a file (as the server would store it, defaults
   * filled in), or two revisions of a plan. Exits 0 when they are the same, 1 when they differ, as
   * {@code diff} and {@code kubectl diff} do.
   */
  @Command(
      mixinStandardHelpOptions = true,
      name = "diff",
      description =
          "Show what 'plan apply -f FILE' would change, or what changed between two revisions."
              + " Exits 0 when nothing differs, 1 when something does, 2 on an error.")
  static final class Diff implements Callable<Integer> {
    @ParentCommand PlanCommand plan;

    @Parameters(index = "0", arity = "0..1", description = "The plan's name (with revisions)")
    @Nullable String name;

    @Option(
        names = {"-f", "--file"},
        description = "A plan file to compare with the stored plan")
    @Nullable Path file;

    @Option(names = "--from", description = "The older revision (default: the one before --to)")
    @Nullable Integer from;

    @Option(names = "--to", description = "The newer revision (default: the current one)")
    @Nullable Integer to;

    @Override
    public Integer call() throws Exception {
      Aviary root = plan.root;
      if ((file == null) == (name == null)) {
        root.err.println("aviary: give a plan's name (to compare revisions) or -f FILE, not both");
        return ExitCodes.USAGE;
      }
      ApiClient api = root.client();
      String oldLabel;
      String newLabel;
      JsonNode older;
      JsonNode newer;
      if (file != null) {
        JsonNode doc;
        try {
          doc = PlanFiles.read(file);
        } catch (PlanFiles.Unreadable e) {
          root.err.println("aviary: " + e.getMessage());
          return 2;
        }
        String planName = doc.path("name").asString("");
        if (planName.isEmpty()) {
          root.err.println("aviary: " + file + " has no \"name\"");
          return ExitCodes.USAGE;
        }
        ApiClient.Answer stored =
            api.send("GET", "/api/v1/plans/" + encode(planName), null, Map.of());
        if (!stored.ok() && stored.status() != 404) {
          root.err.println("aviary: " + stored.problem());
          return 2;
        }
        ApiClient.Answer preview =
            api.send("POST", "/api/v1/plans/" + encode(planName) + "/preview", doc, Map.of());
        if (!preview.ok()) {
          root.err.println("aviary: " + file + " would be refused: " + preview.problem());
          return 2;
        }
        older = stored.ok() ? document(stored.body()) : null;
        newer = document(preview.body());
        oldLabel =
            stored.ok()
                ? "plan " + planName + ", revision " + stored.body().path("revision").asInt()
                : "plan " + planName + " (does not exist)";
        newLabel = String.valueOf(file);
      } else {
        ApiClient.Answer current = api.send("GET", "/api/v1/plans/" + encode(name), null, Map.of());
        int latest;
        if (current.ok()) {
          latest = current.body().path("revision").asInt();
        } else {
          root.err.println("aviary: " + current.problem());
          return 2;
        }
        int newRevision = to != null ? to : latest;
        int oldRevision = from != null ? from : newRevision - 1;
        if (oldRevision < 1) {
          root.err.println("aviary: plan " + name + " has only one revision; nothing to compare");
          return ExitCodes.USAGE;
        }
        JsonNode[] docs = new JsonNode[2];
        int[] revisions = {oldRevision, newRevision};
        for (int i = 0; i < 2; i++) {
          ApiClient.Answer r =
              api.send(
                  "GET",
                  "/api/v1/plans/" + encode(name) + "/revisions/" + revisions[i],
                  null,
                  Map.of());
          if (!r.ok()) {
            root.err.println("aviary: " + r.problem());
            return 2;
          }
          docs[i] = r.body().path("plan").isObject() ? document(r.body().path("plan")) : null;
        }
        older = docs[0];
        newer = docs[1];
        oldLabel = "plan " + name + ", revision " + oldRevision;
        newLabel = "plan " + name + ", revision " + newRevision;
      }
      List<String> a = lines(older);
      List<String> b = lines(newer);
      List<String> diff = LineDiff.unified(a, b);
      if (diff.isEmpty()) {
        root.out.println("no difference: " + oldLabel + " and " + newLabel);
        return ExitCodes.SUCCEEDED;
      }
      root.out.println("--- " + oldLabel);
      root.out.println("+++ " + newLabel);
      diff.forEach(root.out::println);
      return ExitCodes.ERROR;
    }

    /** The plan's document without what every write changes. */
    private static JsonNode document(JsonNode plan) {
      tools.jackson.databind.node.ObjectNode copy =
          (tools.jackson.databind.node.ObjectNode) plan.deepCopy();
      copy.remove(List.of("revision", "createdAt", "updatedAt"));
      return copy;
    }

    private static List<String> lines(@Nullable JsonNode doc) {
      if (doc == null) {
        return List.of();
      }
      return ApiClient.JSON
          .writerWithDefaultPrettyPrinter()
          .writeValueAsString(doc)
          .lines()
          .toList();
    }
  }

  static String encode(String name) {
    return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8);
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
   * Runs the plan's queries once for the last window with a version's variables and prints each
   * query as sent and what came back: the first thing to run when a rollout pauses on no data.
   */
  @Command(
      mixinStandardHelpOptions = true,
      name = "check",
      description =
          "Run a plan's queries once, for the last analysis window, and show each query as sent"
              + " and what came back. Exits 0 when every metric has data (requests counted on"
              + " both sides), 1 otherwise.")
  static final class Check implements Callable<Integer> {
    @ParentCommand PlanCommand plan;

    @Option(names = "--plan", required = true, description = "The plan's name")
    String name;

    @Option(
        names = "--version",
        required = true,
        description = "The canary's version (${version} of its queries)")
    String version;

    @Option(names = "--baseline-version", description = "The baseline's version")
    @Nullable String baselineVersion;

    @Option(names = "--var", description = "A canary variable key=value (repeatable)")
    Map<String, String> vars = new LinkedHashMap<>();

    @Option(names = "--baseline-var", description = "A baseline variable key=value (repeatable)")
    Map<String, String> baselineVars = new LinkedHashMap<>();

    @picocli.CommandLine.Mixin Output output = new Output();

    @Override
    public Integer call() throws Exception {
      boolean json = output.json();
      Map<String, Object> canary = new LinkedHashMap<>(vars);
      canary.put("version", version);
      Map<String, Object> baseline = new LinkedHashMap<>(baselineVars);
      if (baselineVersion != null) {
        baseline.put("version", baselineVersion);
      }
      ApiClient.Answer answer =
          plan.root
              .client()
              .send(
                  "POST",
                  "/api/v1/plans/"
                      + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)
                      + "/check",
                  Map.of("canary", canary, "baseline", baseline),
                  Map.of());
      if (!answer.ok()) {
        plan.root.err.println("aviary: " + answer.problem());
        return ExitCodes.ERROR;
      }
      JsonNode report = answer.body();
      boolean allData = true;
      for (JsonNode m : report.path("metrics")) {
        allData &= missing(m) == null;
      }
      if (json) {
        Output.print(plan.root.out, report);
        return allData ? ExitCodes.SUCCEEDED : ExitCodes.ERROR;
      }
      PrintWriter out = plan.root.out;
      out.println(
          "plan "
              + report.path("plan").asString()
              + " (revision "
              + report.path("revision").asInt()
              + "), window "
              + report.path("windowStart").asString()
              + " to "
              + report.path("windowEnd").asString()
              + ": "
              + report.path("outcome").asString()
              + " — "
              + report.path("summary").asString());
      for (JsonNode m : report.path("metrics")) {
        out.println();
        out.println(
            m.path("metric").asString()
                + ": "
                + m.path("classification").asString()
                + (m.path("reason").isString() ? " — " + m.path("reason").asString() : ""));
        for (JsonNode q : m.path("queries")) {
          out.println("  " + q.asString());
        }
        String missing = missing(m);
        if (missing != null) {
          out.println("  problem: " + missing);
        }
        if (m.path("error").isString()) {
          out.println("  error: " + m.path("error").asString());
        } else if (m.path("counts").isObject()) {
          JsonNode c = m.path("counts");
          out.printf(
              "  counts: canary %s bad of %s, baseline %s bad of %s%n",
              number(c.path("canaryBad")),
              number(c.path("canaryTotal")),
              number(c.path("baselineBad")),
              number(c.path("baselineTotal")));
        } else if (m.path("requests").isObject()) {
          out.printf(
              "  requests in the histogram: canary %s, baseline %s%n",
              number(m.path("requests").path("canary")),
              number(m.path("requests").path("baseline")));
        } else {
          out.println("  canary values: " + values(m.path("canary")));
          if (m.path("baseline").isArray()) {
            out.println("  baseline values: " + values(m.path("baseline")));
          }
        }
      }
      out.flush();
      return allData ? ExitCodes.SUCCEEDED : ExitCodes.ERROR;
    }

    /**
     * Why a metric gave nothing to judge, or null when it did: an error, no data, or no requests
     * counted on a side (a label that matches nothing reads as zero requests, not as an error).
     */
    static @Nullable String missing(JsonNode m) {
      String c = m.path("classification").asString();
      if (m.path("error").isString() || c.equals("ERROR")) {
        return "the query failed";
      }
      if (c.equals("NODATA")) {
        return "no data came back";
      }
      JsonNode totals = m.path("counts").isObject() ? m.path("counts") : null;
      if (totals != null) {
        if (totals.path("canaryTotal").asDouble() <= 0) {
          return "no requests counted for the canary: check the total query's labels";
        }
        if (totals.path("baselineTotal").asDouble() <= 0) {
          return "no requests counted for the baseline: check the total query's labels";
        }
      }
      JsonNode requests = m.path("requests");
      if (requests.isObject()) {
        if (requests.path("canary").asDouble() <= 0) {
          return "no requests in the canary's histogram: check the query's labels";
        }
        if (requests.path("baseline").asDouble() <= 0) {
          return "no requests in the baseline's histogram: check the query's labels";
        }
      }
      return null;
    }

    private static String number(JsonNode n) {
      double d = n.asDouble();
      return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String values(JsonNode array) {
      if (array.isEmpty()) {
        return "none";
      }
      List<String> shown = new java.util.ArrayList<>();
      for (JsonNode v : array) {
        if (shown.size() == 10) {
          shown.add("… (" + array.size() + " in all)");
          break;
        }
        shown.add(number(v));
      }
      return String.join(", ", shown);
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

    @picocli.CommandLine.Mixin Output output = new Output();

    @Override
    public Integer call() throws Exception {
      boolean json = output.json();
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
      if (json) {
        Output.print(plan.root.out, answer.body());
        return ExitCodes.SUCCEEDED;
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
