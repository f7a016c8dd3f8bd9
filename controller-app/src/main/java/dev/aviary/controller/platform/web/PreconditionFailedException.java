package dev.aviary.controller.platform.web;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** An {@code If-Match} named a version that is no longer current: someone else wrote first. */
public final class PreconditionFailedException extends ApiException {

  private static final long serialVersionUID = 1L;

  public PreconditionFailedException(String detail, long currentRevision) {
    super(
        HttpStatus.PRECONDITION_FAILED,
        "stale-version",
        "Stale version",
        detail,
        Map.of("currentRevision", currentRevision));
  }
}
