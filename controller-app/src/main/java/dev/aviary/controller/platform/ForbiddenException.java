package dev.aviary.controller.platform;

import java.util.Map;

/** The caller is known but may not do this (a pipeline token outside its plans, say). */
public final class ForbiddenException extends Refusal {

  private static final long serialVersionUID = 1L;

  public ForbiddenException(String detail) {
    super(Kind.FORBIDDEN, detail, Map.of());
  }
}
