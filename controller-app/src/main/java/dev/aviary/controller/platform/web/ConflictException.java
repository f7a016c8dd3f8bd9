package dev.aviary.controller.platform.web;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** The request clashes with the current state: a name taken, an action the phase forbids. */
public final class ConflictException extends ApiException {

  private static final long serialVersionUID = 1L;

  public ConflictException(String detail) {
    this(detail, Map.of());
  }

  public ConflictException(String detail, Map<String, Object> properties) {
    super(HttpStatus.CONFLICT, "conflict", "Conflict", detail, properties);
  }
}
