package dev.aviary.controller.platform;

import java.util.Map;

/** The named resource does not exist. */
public final class NotFoundException extends Refusal {

  private static final long serialVersionUID = 1L;

  public NotFoundException(String detail) {
    super(Kind.NOT_FOUND, detail, Map.of());
  }
}
