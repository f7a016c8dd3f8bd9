package dev.aviary.controller.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.controller.plan.Step;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RoleTest {

  @Test
  void theRolesAnApprovalStepNamesAreRolesThatMaySteerRollouts() {
    assertThat(Arrays.stream(Role.values()).map(Role::wireName).collect(Collectors.toSet()))
        .containsAll(Step.Approval.ROLES);
    assertThat(Step.Approval.ROLES)
        .as("the roles the API lets steer rollouts: SecurityConfiguration, RoleMatrixIT")
        .containsExactlyInAnyOrder("operator", "admin");
  }

  @Test
  void theHierarchyWidensAdminAndOperatorOnly() {
    assertThat(Role.reachable(Set.of(Role.ADMIN)))
        .containsExactlyInAnyOrder("admin", "operator", "viewer", "pipeline");
    assertThat(Role.reachable(Set.of(Role.OPERATOR)))
        .containsExactlyInAnyOrder("operator", "viewer", "pipeline");
    assertThat(Role.reachable(Set.of(Role.PIPELINE))).containsExactly("pipeline");
    assertThat(Role.reachable(Set.of(Role.VIEWER, Role.PIPELINE)))
        .containsExactlyInAnyOrder("viewer", "pipeline");
    assertThat(Role.reachable(Set.of())).isEmpty();
  }
}
