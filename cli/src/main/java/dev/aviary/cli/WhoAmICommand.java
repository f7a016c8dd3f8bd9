package dev.aviary.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code aviary whoami}: who the token in use says the caller is. */
@Command(name = "whoami", description = "Show who the token in use is: actor, roles, scope.")
final class WhoAmICommand implements Callable<Integer> {

  @ParentCommand Aviary root;

  @Override
  public Integer call() throws Exception {
    ApiClient.Answer answer = root.client().send("GET", "/api/v1/whoami", null, Map.of());
    if (!answer.ok()) {
      root.err.println("aviary: " + answer.problem());
      return ExitCodes.ERROR;
    }
    List<String> roles = new ArrayList<>();
    answer.json().path("roles").forEach(r -> roles.add(r.asString()));
    StringBuilder line =
        new StringBuilder(answer.json().path("actor").asString())
            .append(" (")
            .append(roles.isEmpty() ? "no role" : String.join(", ", roles))
            .append(")");
    String scope = TokenCommand.scope(answer.json());
    if (!scope.isEmpty()) {
      line.append(", plans: ").append(scope.replace(",", ", "));
    }
    if (answer.json().hasNonNull("expiresAt")) {
      line.append(", expires ").append(answer.json().path("expiresAt").asString());
    }
    root.out.println(line);
    return ExitCodes.SUCCEEDED;
  }
}
