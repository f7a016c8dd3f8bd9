package dev.aviary.controller.platform.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * What the servlet container's error page answers — a request rejected before Spring MVC (a
 * malformed URL, a header the container refuses) or {@code /error} asked for directly: a problem
 * document like every other error of the API, never Boot's own JSON or a page.
 */
@Controller
class ProblemErrorController implements ErrorController {

  @RequestMapping("/error")
  void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer i && i >= 400 && i <= 599 ? i : 404;
    HttpStatus known = HttpStatus.resolve(status);
    String title = known == null ? "Error" : known.getReasonPhrase();
    String detail =
        code == null
            ? "no resource here"
            : status >= 500 ? "the request could not be handled" : "the request was refused";
    ProblemWriter.write(
        response,
        status,
        status == 404 ? "not-found" : status >= 500 ? "internal" : "invalid-request",
        title,
        detail,
        Map.of());
  }
}
