package dev.aviary.controller.platform;

import java.util.Map;

/** The request clashes with the current state: a name taken, an action the phase forbids. */
public final class ConflictException extends Refusal {

  private static final long serialVersionUID = 1L;

  public ConflictException(String detail) {
    this(detail, Map.of());
  }

  public ConflictException(String detail, Map<String, Object> properties) {
    super(Kind.CONFLICT, detail, properties);
  }
}
