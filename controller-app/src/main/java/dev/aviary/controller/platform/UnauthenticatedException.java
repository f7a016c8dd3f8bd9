package dev.aviary.controller.platform;

import java.util.Map;

/** Credentials presented to sign in were refused (unknown, expired or revoked). */
public final class UnauthenticatedException extends Refusal {

  private static final long serialVersionUID = 1L;

  public UnauthenticatedException(String detail) {
    super(Kind.UNAUTHENTICATED, detail, Map.of());
  }
}
