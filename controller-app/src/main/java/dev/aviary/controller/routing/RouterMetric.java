package dev.aviary.controller.routing;

import org.jspecify.annotations.Nullable;

/**
 * A ready-made metric read from a router's or mesh's own metrics, so that a plan names it ({@code
 * "template": "http-error-rate"}) instead of writing queries: counts of each side, told apart by
 * the router's stable and canary targets (or by the version label the mesh records), or a latency
 * histogram.
 *
 * @param bad the canary's bad events in the window (counts)
 * @param total the canary's events in the window (counts)
 * @param baselineBad the stable side's bad events (counts)
 * @param baselineTotal the stable side's events (counts)
 * @param histogram a latency histogram's query, one series per bucket {@code le}, rendered for each
 *     side with its version; null for counts
 * @param provider the metric provider type the queries are written for ({@code prometheus})
 * @param source what must be scraped for the queries to find data, for people
 */
public record RouterMetric(
    String bad,
    String total,
    String baselineBad,
    String baselineTotal,
    @Nullable String histogram,
    @Nullable String baselineHistogram,
    String provider,
    String source) {

  /** The ready-made metric of the share of requests answered with a 5xx. */
  public static final String HTTP_ERROR_RATE = "http-error-rate";

  /** The ready-made latency histogram. */
  public static final String HTTP_LATENCY = "http-latency";

  /** Count templates of each side. */
  public RouterMetric(
      String bad,
      String total,
      String baselineBad,
      String baselineTotal,
      String provider,
      String source) {
    this(bad, total, baselineBad, baselineTotal, null, null, provider, source);
  }

  /** A latency histogram, one query rendered for each side with its own variables. */
  public static RouterMetric histogram(String query, String provider, String source) {
    return new RouterMetric("", "", "", "", query, null, provider, source);
  }

  /** A latency histogram of each side's own targets. */
  public static RouterMetric histogram(
      String canary, String stable, String provider, String source) {
    return new RouterMetric("", "", "", "", canary, stable, provider, source);
  }
}
