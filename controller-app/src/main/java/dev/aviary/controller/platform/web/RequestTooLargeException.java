package dev.aviary.controller.platform.web;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** The body is larger than {@code aviary.api.max-request-bytes}. */
final class RequestTooLargeException extends ApiException {

  private static final long serialVersionUID = 1L;

  public RequestTooLargeException(long limit) {
    super(
        HttpStatus.CONTENT_TOO_LARGE,
        "request-too-large",
        "Request too large",
        "The body exceeds the limit of " + limit + " bytes",
        Map.of("limit", limit));
  }
}
