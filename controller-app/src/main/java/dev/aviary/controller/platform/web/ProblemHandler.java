package dev.aviary.controller.platform.web;

import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.controller.platform.Refusal;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error the HTTP API answers is an RFC 9457 problem document ({@code
 * application/problem+json}) with a stable {@code type}. A client's mistake is never a 500; a 500
 * tells only an id to find the logged cause by.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

  /** A field and what is wrong with it, as listed in an invalid-request problem. */
  record FieldError(String field, String message) {}

  /** A service refused the request: each kind of refusal is one status and problem type. */
  @ExceptionHandler(Refusal.class)
  ResponseEntity<ProblemDetail> handleRefusal(Refusal e) {
    HttpStatus status =
        switch (e.kind()) {
          case NOT_FOUND -> HttpStatus.NOT_FOUND;
          case INVALID -> HttpStatus.BAD_REQUEST;
          case CONFLICT -> HttpStatus.CONFLICT;
          case STALE -> HttpStatus.PRECONDITION_FAILED;
          case FORBIDDEN -> HttpStatus.FORBIDDEN;
          case GONE -> HttpStatus.GONE;
          case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
          case UPSTREAM -> HttpStatus.BAD_GATEWAY;
        };
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
    problem.setType(URI.create(ApiException.TYPE_BASE + e.kind().slug()));
    problem.setTitle(e.kind().title());
    if (e instanceof InvalidRequestException invalid) {
      problem.setProperty(
          "errors",
          invalid.violations().stream().map(v -> new FieldError(v.field(), v.message())).toList());
    } else {
      e.properties().forEach(problem::setProperty);
    }
    return ResponseEntity.status(status).body(problem);
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> handleApi(ApiException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
    problem.setType(e.type());
    problem.setTitle(e.title());
    e.properties().forEach(problem::setProperty);
    return ResponseEntity.status(e.status()).body(problem);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> handleTypeMismatch(MethodArgumentTypeMismatchException e) {
    return handleRefusal(
        InvalidRequestException.of(e.getName(), "has an invalid value '" + e.getValue() + "'"));
  }

  @ExceptionHandler(RequestTooLargeException.class)
  ResponseEntity<ProblemDetail> handleTooLarge(RequestTooLargeException e) {
    return handleApi(e);
  }

  /** Two writers passed the same If-Match; the database let only the first one through. */
  @ExceptionHandler(OptimisticLockingFailureException.class)
  ResponseEntity<ProblemDetail> handleLostRace(OptimisticLockingFailureException e) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.PRECONDITION_FAILED,
            "another write changed this resource while yours was in progress; read it again and reapply your change");
    problem.setType(URI.create(ApiException.TYPE_BASE + "stale-version"));
    problem.setTitle("Stale version");
    return ResponseEntity.status(HttpStatus.PRECONDITION_FAILED).body(problem);
  }

  /** The database cannot be reached: a 503 a client may retry, not an internal error. */
  @ExceptionHandler({
    org.springframework.dao.DataAccessResourceFailureException.class,
    org.springframework.transaction.CannotCreateTransactionException.class
  })
  ResponseEntity<ProblemDetail> handleDatabaseDown(Exception e) {
    LOG.error("The database cannot be reached: {}", e.toString());
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.SERVICE_UNAVAILABLE,
            "the database cannot be reached; nothing was changed, try again shortly");
    problem.setType(URI.create(ApiException.TYPE_BASE + "unavailable"));
    problem.setTitle("Database unavailable");
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "5")
        .body(problem);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> handleUnexpected(Exception e) {
    String id = UUID.randomUUID().toString();
    LOG.error("Unexpected error {}", id, e);
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.INTERNAL_SERVER_ERROR,
            "An unexpected error occurred; it is logged as " + id);
    problem.setType(URI.create(ApiException.TYPE_BASE + "internal"));
    problem.setTitle("Internal error");
    problem.setProperty("errorId", id);
    return ResponseEntity.internalServerError().body(problem);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    RequestTooLargeException tooLarge = causeOf(e, RequestTooLargeException.class);
    if (tooLarge != null) {
      return ResponseEntity.status(tooLarge.status()).body(handleApi(tooLarge).getBody());
    }
    Refusal refused = causeOf(e, Refusal.class); // a request record's reader named every bad field
    if (refused != null) {
      ResponseEntity<ProblemDetail> problem = handleRefusal(refused);
      return ResponseEntity.status(problem.getStatusCode()).body(problem.getBody());
    }
    String reason = firstLine(e.getMostSpecificCause().getMessage());
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.BAD_REQUEST, "The body is not valid JSON: " + reason);
    problem.setType(URI.create(ApiException.TYPE_BASE + "malformed-request"));
    problem.setTitle("Malformed request");
    return ResponseEntity.badRequest().body(problem);
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleExceptionInternal(
      Exception e,
      @Nullable Object body,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    ResponseEntity<Object> response =
        super.handleExceptionInternal(e, body, headers, status, request);
    if (response != null && response.getBody() instanceof ProblemDetail problem) {
      problem.setType(URI.create(ApiException.TYPE_BASE + slugFor(status)));
      if (e instanceof MissingRequestHeaderException missing) {
        problem.setProperty(
            "errors",
            List.of(Map.of("field", missing.getHeaderName(), "message", "header is required")));
      }
    }
    return response;
  }

  private static String slugFor(HttpStatusCode status) {
    return switch (status.value()) {
      case 400 -> "bad-request";
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 406 -> "not-acceptable";
      case 413 -> "request-too-large";
      case 415 -> "unsupported-media-type";
      default -> "http-" + status.value();
    };
  }

  private static <T extends Throwable> @Nullable T causeOf(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String firstLine(@Nullable String message) {
    if (message == null) {
      return "unreadable";
    }
    String line = message.lines().findFirst().orElse(message);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
