package dev.aviary.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code aviary whoami}: who the token in use says the caller is. */
@Command(
    mixinStandardHelpOptions = true,
    name = "whoami",
    description = "Show who the token in use is: actor, roles, scope.")
final class WhoAmICommand implements Callable<Integer> {

  @ParentCommand Aviary root;

  @picocli.CommandLine.Mixin Output output = new Output();

  @Override
  public Integer call() throws Exception {
    boolean json = output.json();
    ApiClient.Answer answer = root.client().send("GET", "/api/v1/whoami", null, Map.of());
    if (!answer.ok()) {
      root.err.println("aviary: " + answer.problem());
      return ExitCodes.ERROR;
    }
    if (json) {
      Output.print(root.out, answer.body());
      return ExitCodes.SUCCEEDED;
    }
    List<String> roles = new ArrayList<>();
    answer.body().path("roles").forEach(r -> roles.add(r.asString()));
    StringBuilder line =
        new StringBuilder(answer.body().path("actor").asString())
            .append(" (")
            .append(roles.isEmpty() ? "no role" : String.join(", ", roles))
            .append(")");
    String scope = TokenCommand.scope(answer.body());
    if (!scope.isEmpty()) {
      line.append(", plans: ").append(scope.replace(",", ", "));
    }
    if (answer.body().hasNonNull("expiresAt")) {
      line.append(", expires ").append(answer.body().path("expiresAt").asString());
    }
    root.out.println(line);
    return ExitCodes.SUCCEEDED;
  }
}
