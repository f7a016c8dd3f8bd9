package dev.aviary.controller.platform.web;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** The caller is known but may not do this (a pipeline token outside its plans, say). */
public final class ForbiddenException extends ApiException {

  private static final long serialVersionUID = 1L;

  public ForbiddenException(String detail) {
    super(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail, Map.of());
  }
}
