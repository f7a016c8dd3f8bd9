package dev.aviary.controller.routing;

/**
 * A ready-made count metric read from a router's own metrics, so that a plan names it ({@code
 * "template": "http-error-rate"}) instead of writing queries: each side's templates, told apart by
 * the router's stable and canary targets rather than by a version label.
 *
 * @param bad the canary's bad events in the window
 * @param total the canary's events in the window
 * @param baselineBad the stable side's bad events
 * @param baselineTotal the stable side's events
 * @param provider the metric provider type the queries are written for ({@code prometheus})
 * @param source what must be scraped for the queries to find data, for people
 */
public record RouterMetric(
    String bad,
    String total,
    String baselineBad,
    String baselineTotal,
    String provider,
    String source) {

  /** The ready-made metric of the share of requests answered with a 5xx. */
  public static final String HTTP_ERROR_RATE = "http-error-rate";
}
