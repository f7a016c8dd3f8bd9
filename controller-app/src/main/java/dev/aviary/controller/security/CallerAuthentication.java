package dev.aviary.controller.security;

import java.io.Serial;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request's authenticated {@link Caller}, with its roles as authorities. */
final class CallerAuthentication extends AbstractAuthenticationToken {

  @Serial private static final long serialVersionUID = 1L;

  private final transient Caller caller;

  CallerAuthentication(Caller caller) {
    super(caller.roles().stream().map(r -> new SimpleGrantedAuthority(r.authority())).toList());
    this.caller = caller;
    setAuthenticated(true);
  }

  Caller caller() {
    return caller;
  }

  @Override
  public Object getCredentials() {
    return "";
  }

  @Override
  public Object getPrincipal() {
    return caller;
  }

  @Override
  public String getName() {
    return caller.actor();
  }
}
