package dev.aviary.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code aviary token ...}: issue, list and revoke API tokens (needs an admin token). */
@Command(
    mixinStandardHelpOptions = true,
    name = "token",
    description = "Issue, list and revoke API tokens (needs an admin token).",
    subcommands = {TokenCommand.Create.class, TokenCommand.List_.class, TokenCommand.Revoke.class})
final class TokenCommand {

  @ParentCommand Aviary root;

  /**
   * Issues a token. Its value goes to {@code --out} (mode 0600) or, without it, to standard output
   * alone, so that {@code $(aviary token create ...)} captures just the token.
   */
  @Command(
      mixinStandardHelpOptions = true,
      name = "create",
      description = "Issue a token; it is shown this once.")
  static final class Create implements Callable<Integer> {
    @ParentCommand TokenCommand parent;

    @Parameters(index = "0", description = "The token's name, e.g. ci-checkout")
    String name;

    @Option(names = "--role", required = true, description = "viewer, operator, pipeline or admin")
    String role;

    @Option(names = "--plan", description = "pipeline only: a plan it may release (repeatable)")
    List<String> plans = new ArrayList<>();

    @Option(
        names = "--plan-label",
        description = "pipeline only: key=value every plan in scope carries (repeatable)")
    Map<String, String> planSelector = new LinkedHashMap<>();

    @Option(names = "--expires-in", description = "e.g. 30d (default: the server's, 90d)")
    @Nullable String expiresIn;

    @Option(names = "--description", description = "Who or what holds it")
    @Nullable String description;

    @Option(names = "--out", description = "Write the token to this file (mode 0600)")
    @Nullable Path out;

    @Override
    public Integer call() throws Exception {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      body.put("role", role);
      if (!plans.isEmpty()) {
        body.put("plans", plans);
      }
      if (!planSelector.isEmpty()) {
        body.put("planSelector", planSelector);
      }
      if (expiresIn != null) {
        body.put("expiresIn", expiresIn);
      }
      if (description != null) {
        body.put("description", description);
      }
      ApiClient.Answer answer = parent.root.client().send("POST", "/api/v1/tokens", body, Map.of());
      if (!answer.ok()) {
        parent.root.err.println("aviary: token " + name + " was not issued: " + answer.problem());
        return ExitCodes.ERROR;
      }
      String token = answer.body().path("token").asString();
      String summary =
          "token "
              + name
              + " issued: role "
              + answer.body().path("role").asString()
              + ", expires "
              + answer.body().path("expiresAt").asString("never");
      if (out != null) {
        Files.deleteIfExists(out);
        Files.createFile(
            out,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(out, token + "\n");
        parent.root.out.println(summary + "; written to " + out);
      } else {
        parent.root.err.println(summary + " (shown this once)");
        parent.root.out.println(token);
      }
      return ExitCodes.SUCCEEDED;
    }
  }

  /** Lists tokens: never their values. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "list",
      description = "List tokens (never their values).")
  static final class List_ implements Callable<Integer> {
    @ParentCommand TokenCommand parent;

    @Option(names = "--all", description = "Revoked tokens too")
    boolean all;

    @picocli.CommandLine.Mixin Output output = new Output();

    @Override
    public Integer call() throws Exception {
      boolean json = output.json();
      ApiClient.Answer answer =
          parent
              .root
              .client()
              .send("GET", "/api/v1/tokens" + (all ? "?includeRevoked=true" : ""), null, Map.of());
      if (!answer.ok()) {
        parent.root.err.println("aviary: " + answer.problem());
        return ExitCodes.ERROR;
      }
      if (json) {
        Output.print(parent.root.out, answer.body());
        return ExitCodes.SUCCEEDED;
      }
      String format = "%-28s %-9s %-8s %-21s %-21s %s%n";
      parent.root.out.printf(format, "NAME", "ROLE", "STATE", "EXPIRES", "LAST USED", "SCOPE");
      for (JsonNode t : answer.body().path("items")) {
        parent.root.out.printf(
            format,
            t.path("name").asString(),
            t.path("role").asString(),
            t.path("state").asString(),
            minutes(t.path("expiresAt").asString("never")),
            minutes(t.path("lastUsedAt").asString("-")),
            scope(t));
      }
      return ExitCodes.SUCCEEDED;
    }

    private static String minutes(String instant) {
      return instant.length() > 16 ? instant.substring(0, 16).replace('T', ' ') + "Z" : instant;
    }
  }

  /** A token's plan scope, {@code checkout,team=payments}; empty when it has none. */
  static String scope(JsonNode token) {
    List<String> scope = new ArrayList<>();
    token.path("plans").forEach(p -> scope.add(p.asString()));
    token
        .path("planSelector")
        .properties()
        .forEach(e -> scope.add(e.getKey() + "=" + e.getValue().asString()));
    return String.join(",", scope);
  }

  /** Revokes a token; the next request with it is refused. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "revoke",
      description = "Revoke a token; it stops working at once.")
  static final class Revoke implements Callable<Integer> {
    @ParentCommand TokenCommand parent;

    @Parameters(index = "0", description = "The token's name")
    String name;

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer answer =
          parent.root.client().send("DELETE", "/api/v1/tokens/" + name, null, Map.of());
      if (!answer.ok()) {
        parent.root.err.println("aviary: " + answer.problem());
        return ExitCodes.ERROR;
      }
      parent.root.out.println("token " + name + " revoked");
      return ExitCodes.SUCCEEDED;
    }
  }
}
