package dev.aviary.parallelrun.tally;

import dev.aviary.parallelrun.compare.Differ;
import dev.aviary.parallelrun.report.ComparisonReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reports added up and read: per endpoint and field path, how often the candidate and the secondary
 * differed and whether the path is noise; per request, a <b>match</b> (no difference), a
 * <b>noise</b> (differences only in noise paths) or a <b>mismatch</b> (a difference in a path that
 * is not noise, or a failure to answer that the secondary did not share). The mismatch rate is
 * mismatches over comparisons.
 *
 * @param comparisons requests compared
 * @param matches of those, requests answered alike
 * @param noisy requests that differed only in noise
 * @param mismatches requests that differed in a path that is not noise
 * @param candidateErrors requests the candidate did not answer (refused, reset, timed out)
 * @param skipped sampled requests not mirrored
 * @param endpoints per endpoint, most mismatches first
 */
public record ComparisonSummary(
    long comparisons,
    long matches,
    long noisy,
    long mismatches,
    long candidateErrors,
    long skipped,
    List<EndpointSummary> endpoints) {

  public ComparisonSummary {
    endpoints = List.copyOf(endpoints);
  }

  /** The share of comparisons that mismatched; 0 without comparisons. */
  public double mismatchRate() {
    return comparisons == 0 ? 0 : (double) mismatches / comparisons;
  }

  /**
   * One endpoint.
   *
   * @param fields every path that differed, real differences first
   */
  public record EndpointSummary(
      String endpoint,
      long comparisons,
      long secondaryComparisons,
      long matches,
      long noisy,
      long mismatches,
      long candidateErrors,
      long skipped,
      List<FieldSummary> fields) {
    public EndpointSummary {
      fields = List.copyOf(fields);
    }

    public double mismatchRate() {
      return comparisons == 0 ? 0 : (double) mismatches / comparisons;
    }
  }

  /**
   * One field path of one endpoint.
   *
   * @param candidateRate the share of the candidate's answers that differed here (for {@code
   *     error}: of the comparisons, the share it did not answer)
   * @param noiseRate the same for the secondary
   * @param noise whether these differences are noise
   */
  public record FieldSummary(
      String path,
      long candidateDiffs,
      long secondaryDiffs,
      double candidateRate,
      double noiseRate,
      boolean noise) {}

  /** Adds reports up. */
  public static final class Builder {
    private final Map<String, Acc> endpoints = new TreeMap<>();

    public Builder add(ComparisonReport report) {
      for (ComparisonReport.EndpointCounts c : report.endpoints()) {
        add(c);
      }
      return this;
    }

    public Builder add(ComparisonReport.EndpointCounts c) {
      Acc a = endpoints.computeIfAbsent(c.endpoint(), k -> new Acc());
      a.compared += c.compared();
      a.secondaryCompared += c.secondaryCompared();
      a.skipped += c.skipped();
      for (ComparisonReport.PathCounts p : c.paths()) {
        long[] n = a.paths.computeIfAbsent(p.path(), k -> new long[2]);
        n[0] += p.candidate();
        n[1] += p.secondary();
      }
      for (ComparisonReport.SignatureCount s : c.signatures()) {
        a.signatures.merge(s.paths(), s.count(), Long::sum);
      }
      return this;
    }

    public ComparisonSummary build(NoiseThresholds noise) {
      List<EndpointSummary> list = new ArrayList<>();
      long compared = 0;
      long matches = 0;
      long noisy = 0;
      long mismatches = 0;
      long errors = 0;
      long skipped = 0;
      for (Map.Entry<String, Acc> e : endpoints.entrySet()) {
        EndpointSummary s = e.getValue().summary(e.getKey(), noise);
        list.add(s);
        compared += s.comparisons();
        matches += s.matches();
        noisy += s.noisy();
        mismatches += s.mismatches();
        errors += s.candidateErrors();
        skipped += s.skipped();
      }
      list.sort(
          Comparator.comparingLong(EndpointSummary::mismatches)
              .reversed()
              .thenComparing(EndpointSummary::endpoint));
      return new ComparisonSummary(compared, matches, noisy, mismatches, errors, skipped, list);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private static final class Acc {
    long compared;
    long secondaryCompared;
    long skipped;
    final Map<String, long[]> paths = new TreeMap<>();
    final Map<List<String>, Long> signatures = new LinkedHashMap<>();

    EndpointSummary summary(String name, NoiseThresholds thresholds) {
      List<FieldSummary> fields = new ArrayList<>();
      Set<String> noisePaths = new java.util.HashSet<>();
      long[] err = paths.getOrDefault(Differ.ERROR, new long[2]);
      // a field can only differ in an answer: its rates count the answers each side gave, so a
      // candidate that times out more often than the secondary does not make noise look real
      long candidateAnswered = compared - err[0];
      long secondaryAnswered = secondaryCompared - err[1];
      for (Map.Entry<String, long[]> p : paths.entrySet()) {
        long c = p.getValue()[0];
        long s = p.getValue()[1];
        boolean failure = Differ.ERROR.equals(p.getKey());
        long cn = failure ? compared : candidateAnswered;
        long sn = failure ? secondaryCompared : secondaryAnswered;
        boolean isNoise = thresholds.isNoise(c, cn, s, sn);
        if (isNoise) {
          noisePaths.add(p.getKey());
        }
        if (c > 0 || s > 0) {
          fields.add(
              new FieldSummary(
                  p.getKey(),
                  c,
                  s,
                  cn <= 0 ? 0 : (double) c / cn,
                  sn <= 0 ? 0 : (double) s / sn,
                  isNoise));
        }
      }
      fields.sort(
          Comparator.comparing(FieldSummary::noise)
              .thenComparing(Comparator.comparingLong(FieldSummary::candidateDiffs).reversed())
              .thenComparing(FieldSummary::path));
      long matches = 0;
      long noisy = 0;
      long mismatches = 0;
      for (Map.Entry<List<String>, Long> sig : signatures.entrySet()) {
        List<String> ps = sig.getKey();
        if (ps.isEmpty()) {
          matches += sig.getValue();
        } else if (noisePaths.containsAll(ps) && !ps.contains(Tally.BEYOND)) {
          noisy += sig.getValue();
        } else {
          mismatches += sig.getValue();
        }
      }
      return new EndpointSummary(
          name, compared, secondaryCompared, matches, noisy, mismatches, err[0], skipped, fields);
    }
  }
}
