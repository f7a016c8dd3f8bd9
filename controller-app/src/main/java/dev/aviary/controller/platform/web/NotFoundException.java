package dev.aviary.controller.platform.web;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** The named resource does not exist. */
public final class NotFoundException extends ApiException {

  private static final long serialVersionUID = 1L;

  public NotFoundException(String detail) {
    super(HttpStatus.NOT_FOUND, "not-found", "Not found", detail, Map.of());
  }
}
