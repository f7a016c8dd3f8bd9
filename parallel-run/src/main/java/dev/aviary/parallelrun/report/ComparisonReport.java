package dev.aviary.parallelrun.report;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Comparisons counted by one source since its previous report. Reports are deltas: the controller
 * adds them up, so several proxies in front of one service report into one total. {@code source}
 * and {@code sequence} make a report that is sent again after a lost answer count once.
 *
 * @param source the reporting proxy or service instance, stable for its lifetime
 * @param sequence increases by one with every report of {@code source}
 * @param rolloutId the rollout the controller named in its last answer, whose comparisons these
 *     are; null before the first answer
 * @param from when the first comparison counted here ended
 * @param to when the report was made
 * @param endpoints counts per endpoint
 * @param samples a few mismatching exchanges, redacted
 */
public record ComparisonReport(
    String source,
    long sequence,
    @Nullable String rolloutId,
    Instant from,
    Instant to,
    List<EndpointCounts> endpoints,
    List<Sample> samples) {

  public ComparisonReport {
    endpoints = List.copyOf(endpoints);
    samples = List.copyOf(samples);
  }

  /**
   * One endpoint's counts.
   *
   * @param endpoint {@code GET /api/quote}, or the route's configured name
   * @param compared requests whose candidate answer (or failure to answer) was compared with the
   *     primary's
   * @param secondaryCompared of those, requests also compared with the secondary's answer
   * @param skipped requests not mirrored although sampled: the candidate was saturated, the body
   *     too large, the rate limit reached
   * @param paths per field path, how often the candidate and the secondary differed there
   * @param signatures per set of differing paths, how many requests the candidate differed in
   *     exactly those: what lets the controller count requests that differ in a path that is not
   *     noise once the noise is known
   */
  public record EndpointCounts(
      String endpoint,
      long compared,
      long secondaryCompared,
      long skipped,
      List<PathCounts> paths,
      List<SignatureCount> signatures) {
    public EndpointCounts {
      paths = List.copyOf(paths);
      signatures = List.copyOf(signatures);
    }
  }

  /**
   * How often one path differed.
   *
   * @param path a field path as {@link dev.aviary.parallelrun.compare.Differ} names it
   * @param candidate requests in which the candidate's answer differed from the primary's there
   * @param secondary requests in which the secondary's answer differed from the primary's there
   */
  public record PathCounts(String path, long candidate, long secondary) {}

  /**
   * How many requests differed in exactly one set of paths.
   *
   * @param paths the paths the candidate differed in, sorted; {@code ["*"]} stands for sets beyond
   *     the tally's bound and always counts as a mismatch
   * @param count how many requests
   */
  public record SignatureCount(List<String> paths, long count) {
    public SignatureCount {
      paths = List.copyOf(paths);
    }
  }

  /**
   * One mismatching exchange, with credentials and configured fields redacted.
   *
   * @param endpoint the endpoint
   * @param paths where the candidate differed
   * @param request method and URI
   * @param requestBody the request body as text, cut short
   * @param primary the primary's answer
   * @param candidate the candidate's answer
   * @param secondary the secondary's answer, when there is one
   * @param at when it was compared
   */
  public record Sample(
      String endpoint,
      List<String> paths,
      String request,
      String requestBody,
      Answer primary,
      Answer candidate,
      @Nullable Answer secondary,
      Instant at) {
    public Sample {
      paths = List.copyOf(paths);
    }
  }

  /**
   * One side's answer in a sample.
   *
   * @param status the status code, 0 when there was no response
   * @param headers the response headers compared or useful to read, redacted
   * @param body the body as text, cut short and redacted; the failure when there was no response
   */
  public record Answer(int status, java.util.Map<String, String> headers, String body) {
    public Answer {
      headers = java.util.Map.copyOf(headers);
    }
  }
}
