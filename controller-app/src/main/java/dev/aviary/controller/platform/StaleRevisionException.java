package dev.aviary.controller.platform;

import java.util.Map;

/** An {@code If-Match} named a version that is no longer current: someone else wrote first. */
public final class StaleRevisionException extends Refusal {

  private static final long serialVersionUID = 1L;

  public StaleRevisionException(String detail, long currentRevision) {
    super(Kind.STALE, detail, Map.of("currentRevision", currentRevision));
  }
}
