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
      FreezeCommand.class,
      LimitCommand.class,
      NotificationCommand.class,
      TemplateCommand.class,
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
      "6:the canary could not be judged (metrics unavailable) and was rolled back",
      "7:rolled back at an approval step: rejected, or not approved in time",
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

  /** The server this invocation talks to: --server, else AVIARY_SERVER, else localhost:8080. */
  String serverUrl() {
    return server != null ? server : env.getOrDefault("AVIARY_SERVER", "http://localhost:8080");
  }

  ApiClient client() {
    String url = serverUrl();
    String token = env.get("AVIARY_TOKEN");
    if (tokenFile != null) {
      try {
        token = Files.readString(tokenFile).strip();
      } catch (IOException e) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "cannot read --token-file " + tokenFile);
      }
      if (token.isEmpty()) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--token-file " + tokenFile + " is empty");
      }
    } else if (token != null && token.isBlank()) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "AVIARY_TOKEN is set but empty (did the command that set it fail, such as a cat of a"
              + " missing file?)");
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

  /** What went wrong, in words: which file, which server, and what to try. */
  static String describe(Exception e, String server) {
    if (e instanceof java.nio.file.NoSuchFileException f) {
      return "no such file: " + f.getFile();
    }
    if (e instanceof java.nio.file.AccessDeniedException f) {
      return "cannot read " + f.getFile() + ": permission denied";
    }
    if (e instanceof java.net.ConnectException) {
      return "cannot reach the server at "
          + server
          + ": connection refused — is Aviary running there? (set AVIARY_SERVER or --server)";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "the server at " + server + " did not answer in time: " + e.getMessage();
    }
    if (e instanceof java.nio.channels.UnresolvedAddressException
        || e.getCause() instanceof java.nio.channels.UnresolvedAddressException
        || e instanceof java.net.UnknownHostException) {
      return "cannot reach the server at "
          + server
          + ": unknown host (set AVIARY_SERVER or --server)";
    }
    if (e instanceof tools.jackson.core.JacksonException j) {
      return "not valid JSON: " + j.getOriginalMessage();
    }
    if (e instanceof IOException) {
      return "talking to the server at "
          + server
          + " failed: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
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
          if (e instanceof CommandLine.TypeConversionException
              || e instanceof CommandLine.ParameterException) {
            // an option found wrong once the command ran (checked before anything was sent)
            err.println("aviary: " + e.getMessage());
            return ExitCodes.USAGE;
          }
          err.println("aviary: " + describe(e, root.serverUrl()));
          return ExitCodes.ERROR;
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
