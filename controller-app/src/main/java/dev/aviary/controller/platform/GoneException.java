package dev.aviary.controller.platform;

import java.util.Map;

/** What the request names existed, but can serve no more: a one-time link used or expired. */
public final class GoneException extends Refusal {

  private static final long serialVersionUID = 1L;

  public GoneException(String detail) {
    super(Kind.GONE, detail, Map.of());
  }
}
