package dev.aviary.controller.platform.web;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.res.StringManager;

/**
 * Tomcat's error report for requests it refuses before any application code runs — a malformed or
 * over-long request line, a NUL or an encoded slash in the path — as a problem document instead of
 * an HTML page, so that every error of the API has one shape.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    String slug = status == 404 ? "not-found" : status >= 500 ? "internal" : "invalid-request";
    String title = status >= 500 ? "Internal error" : "Invalid request";
    String detail =
        status >= 500
            ? "the request could not be handled"
            : "the request was refused before it reached the API: its URL, line or headers are"
                + " malformed (a NUL or an encoded slash in the path, say)";
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(
            "{\"type\":\""
                + ApiException.TYPE_BASE
                + slug
                + "\",\"title\":\""
                + title
                + "\",\"status\":"
                + status
                + ",\"detail\":\""
                + detail
                + "\"}");
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      containerLog.debug(
          StringManager.getManager(ErrorReportValve.class)
              .getString("errorReportValve.errorReport"),
          e);
    }
  }
}
