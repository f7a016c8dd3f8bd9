package dev.aviary.controller.security;

import dev.aviary.controller.platform.Actors;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/** The actor of the current request: its token's or JWT subject's name. */
@Component
class CallerActors implements Actors {

  static Optional<Caller> currentCaller() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    return auth instanceof CallerAuthentication c ? Optional.of(c.caller()) : Optional.empty();
  }

  @Override
  public String current() {
    return currentCaller().map(Caller::actor).orElse("anonymous");
  }

  @Override
  public Set<String> currentRoles() {
    return currentCaller().map(c -> Role.reachable(c.roles())).orElse(Set.of());
  }
}
