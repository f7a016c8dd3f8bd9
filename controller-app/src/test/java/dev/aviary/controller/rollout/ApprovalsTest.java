package dev.aviary.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.controller.plan.Step;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApprovalsTest {

  private static Step.Approval step(Set<String> roles, List<String> approvers, boolean fourEyes) {
    return new Step.Approval(
        roles, approvers, Duration.ofHours(1), Step.Approval.OnTimeout.PAUSE, fourEyes);
  }

  private static final Set<String> OPERATOR = Set.of("operator", "viewer", "pipeline");
  private static final Set<String> ADMIN = Set.of("admin", "operator", "viewer", "pipeline");

  @Test
  void aRoleTheStepNamesMayAnswerAndOthersHearWhichRoleIsNeeded() {
    Step.Approval admins = step(Set.of("admin"), List.of(), false);
    assertThat(Approvals.refusal(admins, "token:root", ADMIN, "token:ci")).isEmpty();
    assertThat(Approvals.refusal(admins, "token:ops", OPERATOR, "token:ci"))
        .hasValue("token:ops holds operator, pipeline, viewer, and answering needs admin");
    assertThat(Approvals.refusal(admins, "token:nobody", Set.of(), "token:ci"))
        .hasValue("token:nobody holds no role, and answering needs admin");
  }

  @Test
  void namedApproversNarrowTheRolesAndTheStarterMayBeBarred() {
    Step.Approval named = step(Set.of("operator"), List.of("oidc:alice", "oidc:bob"), true);
    assertThat(Approvals.refusal(named, "oidc:alice", OPERATOR, "oidc:bob")).isEmpty();
    assertThat(Approvals.refusal(named, "oidc:carol", ADMIN, "oidc:bob"))
        .hasValue("oidc:carol is not among the step's approvers oidc:alice, oidc:bob");
    assertThat(Approvals.refusal(named, "oidc:bob", OPERATOR, "oidc:bob"))
        .hasValue("oidc:bob started this rollout, and the step asks for someone else's approval");
    assertThat(Approvals.refusal(named, "oidc:alice", Set.of("viewer"), "oidc:bob"))
        .as("a named approver still needs one of the roles")
        .isPresent();
    Step.Approval anyone = step(Set.of("operator"), List.of(), false);
    assertThat(Approvals.refusal(anyone, "oidc:bob", OPERATOR, "oidc:bob"))
        .as("without the four-eyes rule the starter may answer")
        .isEmpty();
  }
}
