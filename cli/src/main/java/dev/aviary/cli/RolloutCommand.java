package dev.aviary.cli;

import dev.aviary.kernel.Durations;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code aviary rollout ...}: start, follow and steer rollouts. */
@Command(
    mixinStandardHelpOptions = true,
    name = "rollout",
    description = "Start, follow and steer rollouts.",
    subcommands = {
      RolloutCommand.Start.class,
      RolloutCommand.List_.class,
      RolloutCommand.Status.class,
      RolloutCommand.Comparisons.class,
      RolloutCommand.Pause.class,
      RolloutCommand.Resume.class,
      RolloutCommand.Promote.class,
      RolloutCommand.Approve.class,
      RolloutCommand.Reject.class,
      RolloutCommand.Abort.class,
      RolloutCommand.Retry.class
    })
final class RolloutCommand {

  @ParentCommand Aviary root;

  /**
   * Options shared by the commands that can wait for the verdict, {@code --help} among them (not
   * picocli's standard pair: {@code --version} is the canary's version here).
   */
  static final class Waiting {
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Option(
        names = "--wait",
        description = "Follow the rollout, printing step, weight and verdicts, until it ends")
    boolean wait;

    @Option(
        names = "--timeout",
        defaultValue = "60m",
        description = "How long --wait waits (default 60m)")
    String timeout;

    Duration timeout() {
      return Durations.parse(timeout)
          .filter(d -> !d.isNegative() && !d.isZero())
          .orElseThrow(
              () ->
                  new picocli.CommandLine.TypeConversionException(
                      "'" + timeout + "' is not a duration such as 90s, 10m, 1h or 1d"));
    }
  }

  @Command(name = "start", description = "Start a rollout of a new version through a plan.")
  static final class Start implements Callable<Integer> {
    @ParentCommand RolloutCommand parent;

    @Option(names = "--plan", required = true, description = "The plan to follow")
    String plan;

    @Option(names = "--version", required = true, description = "The canary's version")
    String version;

    @Option(names = "--baseline-version", description = "The baseline's version")
    @Nullable String baselineVersion;

    @Option(
        names = "--var",
        description = "A canary variable key=value for the plan's queries (repeatable)")
    Map<String, String> vars = new LinkedHashMap<>();

    @Option(names = "--baseline-var", description = "A baseline variable key=value (repeatable)")
    Map<String, String> baselineVars = new LinkedHashMap<>();

    @Option(
        names = "--meta",
        description = "Metadata key=value for people, e.g. commit=abc123 (repeatable)")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Option(
        names = "--idempotency-key",
        description =
            "Retries with the same key get the same rollout (default: one per invocation)")
    @Nullable String idempotencyKey;

    @picocli.CommandLine.Mixin Waiting waiting = new Waiting();

    @Override
    public Integer call() throws Exception {
      Aviary root = parent.root;
      // every option is checked before anything is sent: a bad --timeout must not leave a
      // rollout running that the job then fails to follow
      Duration limit = waiting.wait ? waiting.timeout() : Duration.ZERO;
      ApiClient api = root.client();
      Map<String, Object> canary = new LinkedHashMap<>(vars);
      canary.put("version", version);
      Map<String, Object> baseline = new LinkedHashMap<>(baselineVars);
      if (baselineVersion != null) {
        baseline.put("version", baselineVersion);
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("plan", plan);
      body.put("canary", canary);
      body.put("baseline", baseline);
      body.put("metadata", metadata);
      String key = idempotencyKey != null ? idempotencyKey : "cli-" + UUID.randomUUID();
      ApiClient.Answer answer = startWithRetries(api, body, key);
      if (!answer.ok()) {
        root.err.println("aviary: the rollout was not started: " + answer.problem());
        return ExitCodes.ERROR;
      }
      String id = answer.body().path("id").asString();
      root.out.println(
          "rollout "
              + id
              + " of plan "
              + plan
              + " (version "
              + version
              + ", to the "
              + answer.body().path("slot").asString("canary")
              + " servers): "
              + answer.body().path("phase").asString());
      if (!waiting.wait) {
        return ExitCodes.SUCCEEDED;
      }
      return new Follower(api, root.out, root.err).follow(id, limit);
    }

    /** The same key on every attempt: the server starts one rollout however often this retries. */
    private ApiClient.Answer startWithRetries(ApiClient api, Map<String, Object> body, String key)
        throws IOException, InterruptedException {
      IOException last = null;
      for (int attempt = 1; attempt <= 4; attempt++) {
        try {
          ApiClient.Answer answer =
              api.send("POST", "/api/v1/rollouts", body, Map.of("Idempotency-Key", key));
          if (answer.status() < 500) {
            return answer;
          }
          last = new IOException("HTTP " + answer.status());
        } catch (IOException e) {
          last = e;
        }
        Thread.sleep(500L << attempt);
      }
      throw last;
    }
  }

  @Command(
      name = "status",
      description =
          "Print where a rollout stands; with --wait, then follow what happens next to the end.")
  static final class Status implements Callable<Integer> {
    @ParentCommand RolloutCommand parent;

    @Parameters(index = "0", description = "The rollout's id")
    String id;

    @picocli.CommandLine.Mixin Waiting waiting = new Waiting();

    @picocli.CommandLine.Mixin Output output = new Output();

    @Override
    public Integer call() throws Exception {
      boolean json = output.json();
      ApiClient api = parent.root.client();
      if (waiting.wait) {
        return new Follower(api, parent.root.out, parent.root.err)
            .followFromNow(id, waiting.timeout());
      }
      ApiClient.Answer answer = api.send("GET", "/api/v1/rollouts/" + id, null, Map.of());
      if (!answer.ok()) {
        parent.root.err.println("aviary: " + answer.problem());
        return ExitCodes.ERROR;
      }
      if (json) {
        Output.print(parent.root.out, answer.body());
      } else {
        parent.root.out.println(Follower.describe(answer.body()));
      }
      return ExitCodes.SUCCEEDED;
    }
  }

  /** The commands that post one action. */
  abstract static class ActionCommand implements Callable<Integer> {
    @ParentCommand RolloutCommand parent;

    @Parameters(index = "0", description = "The rollout's id")
    String id;

    abstract String action();

    /** The request's body; null for none. */
    @Nullable Object body() {
      return null;
    }

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer answer =
          parent
              .root
              .client()
              .send("POST", "/api/v1/rollouts/" + id + "/" + action(), body(), Map.of());
      if (!answer.ok()) {
        parent.root.err.println("aviary: " + answer.problem());
        return ExitCodes.ERROR;
      }
      JsonNode r = answer.body();
      parent.root.out.println(Follower.describe(r));
      return ExitCodes.SUCCEEDED;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "pause",
      description = "Hold the rollout at its weight.")
  static final class Pause extends ActionCommand {
    @Override
    String action() {
      return "pause";
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "resume",
      description = "Resume a paused rollout.")
  static final class Resume extends ActionCommand {
    @Override
    String action() {
      return "resume";
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "promote",
      description = "Skip the current step; with --full, every remaining step.")
  static final class Promote extends ActionCommand {
    @Option(names = "--full", description = "Skip every remaining step: all traffic to the canary")
    boolean full;

    @Override
    String action() {
      return full ? "promote?full=true" : "promote";
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "approve",
      description =
          "Approve the approval step the rollout waits in; it goes on. Only a caller the step"
              + " allows may answer.")
  static final class Approve extends ActionCommand {
    @Option(names = "--reason", description = "Why: recorded in the events and the audit log")
    @Nullable String reason;

    @Override
    String action() {
      return "approve";
    }

    @Override
    @Nullable Object body() {
      return reason == null ? null : Map.of("reason", reason);
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "reject",
      description = "Reject the approval step the rollout waits in; it rolls back.")
  static final class Reject extends ActionCommand {
    @Option(
        names = "--reason",
        required = true,
        description = "Why: recorded in the events and the audit log")
    String reason;

    @Override
    String action() {
      return "reject";
    }

    @Override
    Object body() {
      return Map.of("reason", reason);
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "abort",
      description = "Send all traffic back to stable now.")
  static final class Abort extends ActionCommand {
    @Override
    String action() {
      return "abort";
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "retry",
      description = "Start a rolled-back, aborted or failed rollout again.")
  static final class Retry extends ActionCommand {
    @Override
    String action() {
      return "retry";
    }
  }

  /** Lists rollouts, newest first: one line each, or the API's JSON. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "comparisons",
      description =
          "Print a rollout's parallel run: mismatches per endpoint and field path, what is noise,"
              + " and the latest redacted samples.")
  static final class Comparisons implements Callable<Integer> {
    @ParentCommand RolloutCommand parent;

    @Parameters(index = "0", description = "The rollout's id")
    String id;

    @Option(names = "--samples", defaultValue = "3", description = "Samples to show (0-100)")
    int samples;

    @picocli.CommandLine.Mixin Output output = new Output();

    @Override
    public Integer call() throws Exception {
      Aviary root = parent.root;
      ApiClient.Answer answer =
          root.client()
              .send(
                  "GET",
                  "/api/v1/rollouts/" + id + "/comparisons?samples=" + Math.max(0, samples),
                  null,
                  Map.of());
      if (!answer.ok()) {
        root.err.println("aviary: " + answer.problem());
        return ExitCodes.ERROR;
      }
      JsonNode c = answer.body();
      if (output.json()) {
        Output.print(root.out, c);
        return ExitCodes.SUCCEEDED;
      }
      root.out.printf(
          java.util.Locale.ROOT,
          "parallel run (step %d)%s: %s%n",
          c.path("step").asInt(),
          c.path("active").asBoolean() ? ", running" : "",
          c.path("reason").asString());
      root.out.printf(
          java.util.Locale.ROOT,
          "%,d compared: %,d alike, %,d only noise, %,d mismatched (%.2f %%, limit %.2f %%);"
              + " %,d candidate errors, %,d skipped%n",
          c.path("comparisons").asLong(),
          c.path("matches").asLong(),
          c.path("noisy").asLong(),
          c.path("mismatches").asLong(),
          c.path("mismatchRate").asDouble() * 100,
          c.path("maxMismatchRate").asDouble() * 100,
          c.path("candidateErrors").asLong(),
          c.path("skipped").asLong());
      String format = "%-28s %-32s %10s %10s  %s%n";
      root.out.printf(format, "ENDPOINT", "FIELD", "CANDIDATE", "SECONDARY", "");
      for (JsonNode e : c.path("endpoints")) {
        for (JsonNode f : e.path("fields")) {
          root.out.printf(
              java.util.Locale.ROOT,
              format,
              e.path("endpoint").asString(),
              f.path("path").asString(),
              String.format(
                  java.util.Locale.ROOT, "%.2f%%", f.path("candidateRate").asDouble() * 100),
              String.format(java.util.Locale.ROOT, "%.2f%%", f.path("noiseRate").asDouble() * 100),
              f.path("noise").asBoolean() ? "noise" : "MISMATCH");
        }
      }
      for (JsonNode sample : c.path("samples")) {
        root.out.println();
        root.out.println(
            "sample: " + sample.path("request").asString() + " differs at " + sample.path("paths"));
        root.out.println("  primary:   " + sample.path("primary").path("body").asString());
        root.out.println("  candidate: " + sample.path("candidate").path("body").asString());
      }
      return ExitCodes.SUCCEEDED;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "list",
      description = "List rollouts, newest first.")
  static final class List_ implements Callable<Integer> {
    @ParentCommand RolloutCommand parent;

    @Option(names = "--plan", description = "Only this plan's rollouts")
    @Nullable String plan;

    @Option(names = "--phase", description = "Only rollouts in this phase, e.g. PROGRESSING")
    @Nullable String phase;

    @Option(names = "--limit", defaultValue = "20", description = "At most this many (1-200)")
    int limit;

    @picocli.CommandLine.Mixin Output output = new Output();

    @Override
    public Integer call() throws Exception {
      boolean json = output.json();
      StringBuilder query = new StringBuilder("?size=" + limit);
      if (plan != null) {
        query
            .append("&plan=")
            .append(java.net.URLEncoder.encode(plan, java.nio.charset.StandardCharsets.UTF_8));
      }
      if (phase != null) {
        query
            .append("&phase=")
            .append(java.net.URLEncoder.encode(phase, java.nio.charset.StandardCharsets.UTF_8));
      }
      Aviary root = parent.root;
      ApiClient.Answer answer =
          root.client().send("GET", "/api/v1/rollouts" + query, null, Map.of());
      if (!answer.ok()) {
        root.err.println("aviary: " + answer.problem());
        return ExitCodes.ERROR;
      }
      if (json) {
        Output.print(root.out, answer.body());
        return ExitCodes.SUCCEEDED;
      }
      String format = "%-36s %-24s %-12s %6s %-7s %-16s %s%n";
      root.out.printf(format, "ID", "PLAN", "PHASE", "WEIGHT", "SLOT", "VERSION", "STARTED");
      for (JsonNode r : answer.body().path("items")) {
        String created = r.path("createdAt").asString("");
        root.out.printf(
            format,
            r.path("id").asString(),
            r.path("plan").asString(),
            r.path("phase").asString(),
            r.path("canaryWeight").asInt() + "%",
            r.path("slot").asString(""),
            r.path("canary").path("version").asString(""),
            created.length() > 16 ? created.substring(0, 16).replace('T', ' ') + "Z" : created);
      }
      return ExitCodes.SUCCEEDED;
    }
  }
}
