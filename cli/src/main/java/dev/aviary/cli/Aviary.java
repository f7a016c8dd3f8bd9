package dev.aviary.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code aviary}: apply plans, start rollouts and wait for their verdict. The server comes from
 * {@code --server} or {@code AVIARY_SERVER}; a token from {@code AVIARY_TOKEN} or {@code
 * --token-file}, never from a flag that would show in {@code ps}.
 */
@Command(
    name = "aviary",
    mixinStandardHelpOptions = true,
    version = "aviary 0.1.0",
    description = "Drive Aviary, the progressive-delivery controller, from a terminal or a CI job.",
    subcommands = {
      PlanCommand.class,
      RolloutCommand.class,
      TokenCommand.class,
      WhoAmICommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the rollout succeeded, or the command did what it was asked",
      "1:the server refused the command or could not be reached",
      "2:the canary failed and was rolled back",
      "3:a person aborted the rollout",
      "4:the router could not be driven (FAILED)",
      "5:waiting timed out before the rollout finished",
      "64:the command line was wrong"
    })
public final class Aviary implements Runnable {

  @Option(
      names = "--server",
      scope = ScopeType.INHERIT,
      description = "Aviary's URL (default: $AVIARY_SERVER or http://localhost:8080)")
  @Nullable String server;

  @Option(
      names = "--token-file",
      scope = ScopeType.INHERIT,
      description = "A file holding the API token (default: $AVIARY_TOKEN)")
  @Nullable Path tokenFile;

  final PrintWriter out;
  final PrintWriter err;
  final Map<String, String> env;

  Aviary(PrintWriter out, PrintWriter err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this), "name a command: plan, rollout, token or whoami");
  }

  ApiClient client() {
    String url =
        server != null ? server : env.getOrDefault("AVIARY_SERVER", "http://localhost:8080");
    String token = env.get("AVIARY_TOKEN");
    if (tokenFile != null) {
      try {
        token = Files.readString(tokenFile).strip();
      } catch (IOException e) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "cannot read --token-file " + tokenFile);
      }
    }
    return new ApiClient(url, token);
  }

  public static void main(String[] args) {
    System.exit(
        execute(
            args,
            new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
            new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
            System.getenv()));
  }

  /** Runs the command line and answers its exit code. */
  public static int execute(
      String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    Aviary root = new Aviary(out, err, env);
    CommandLine cli = new CommandLine(root);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(e -> ExitCodes.ERROR);
    cli.setParameterExceptionHandler(
        (e, a) -> {
          err.println("aviary: " + e.getMessage());
          e.getCommandLine().usage(err);
          return ExitCodes.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          err.println(
              "aviary: "
                  + (e instanceof IOException ? "cannot reach the server: " : "")
                  + e.getMessage());
          return ExitCodes.ERROR;
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
