package dev.aviary.controller.platform;

import java.util.Map;

/** A backend the request depends on (a metrics server) failed or refused; a 502. */
public final class UpstreamFailureException extends Refusal {

  private static final long serialVersionUID = 1L;

  public UpstreamFailureException(String detail) {
    super(Kind.UPSTREAM, detail, Map.of());
  }
}
