package dev.aviary.parallelrun.tally;

import dev.aviary.parallelrun.report.ComparisonReport;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Comparisons counted since the last report, per endpoint and field path; thread-safe. Bounded: at
 * most {@code maxEndpoints} endpoints (more are counted under {@code other}), {@code maxSignatures}
 * distinct sets of differing paths per endpoint (more are counted as {@code ["*"]}, a mismatch
 * whatever the noise), and {@code maxSamples} examples of each endpoint and path per report.
 */
public final class Tally {

  public static final String OTHER = "other";
  public static final String BEYOND = "*";

  private final String source;
  private final Clock clock;
  private final int maxEndpoints;
  private final int maxSignatures;
  private final int maxSamples;
  private Map<String, Endpoint> endpoints = new LinkedHashMap<>();
  private List<ComparisonReport.Sample> samples = new ArrayList<>();
  private final Map<String, Integer> samplesTaken = new LinkedHashMap<>();
  private long sequence;
  private @Nullable Instant from;

  public Tally(String source, Clock clock, int maxEndpoints, int maxSignatures, int maxSamples) {
    this.source = source;
    this.clock = clock;
    this.maxEndpoints = maxEndpoints;
    this.maxSignatures = maxSignatures;
    this.maxSamples = maxSamples;
  }

  public Tally(String source, Clock clock) {
    this(source, clock, 200, 64, 3);
  }

  /**
   * Counts one comparison.
   *
   * @param candidate where the candidate's answer differed from the primary's
   * @param secondary where the secondary's did, or null when there was no secondary answer
   * @param sample builds the example, called only when one is kept
   */
  public synchronized void compared(
      String endpoint,
      SortedSet<String> candidate,
      @Nullable SortedSet<String> secondary,
      Supplier<ComparisonReport.Sample> sample) {
    started();
    Endpoint e = endpoint(endpoint);
    e.compared++;
    for (String p : candidate) {
      e.path(p)[0]++;
    }
    if (secondary != null) {
      e.secondaryCompared++;
      for (String p : secondary) {
        e.path(p)[1]++;
      }
    }
    List<String> signature = List.copyOf(candidate);
    if (!e.signatures.containsKey(signature) && e.signatures.size() >= maxSignatures) {
      signature = List.of(BEYOND);
    }
    e.signatures.merge(signature, 1L, Long::sum);
    boolean keep = false;
    for (String p : candidate) {
      String key = e.name + " " + p;
      int taken = samplesTaken.getOrDefault(key, 0);
      if (taken < maxSamples) {
        samplesTaken.put(key, taken + 1);
        keep = true;
      }
    }
    if (keep) {
      samples.add(sample.get());
    }
  }

  /**
   * Counts a sampled request that was not mirrored (saturated candidate, large body, rate limit).
   */
  public synchronized void skipped(String endpoint) {
    started();
    endpoint(endpoint).skipped++;
  }

  /** Whether anything was counted since the last report. */
  public synchronized boolean isEmpty() {
    return endpoints.isEmpty();
  }

  /**
   * The counts since the last report, for {@code rolloutId}; the tally starts again from zero.
   * {@link #restore} puts them back when the report could not be delivered.
   */
  public synchronized ComparisonReport drain(@Nullable String rolloutId) {
    Instant now = clock.instant();
    List<ComparisonReport.EndpointCounts> counts = new ArrayList<>();
    for (Endpoint e : endpoints.values()) {
      counts.add(e.counts());
    }
    ComparisonReport report =
        new ComparisonReport(
            source, ++sequence, rolloutId, from == null ? now : from, now, counts, samples);
    endpoints = new LinkedHashMap<>();
    samples = new ArrayList<>();
    samplesTaken.clear();
    from = null;
    return report;
  }

  /** The counts since the last report, without starting again: for a running total. */
  public synchronized ComparisonReport snapshot() {
    Instant now = clock.instant();
    List<ComparisonReport.EndpointCounts> counts = new ArrayList<>();
    for (Endpoint e : endpoints.values()) {
      counts.add(e.counts());
    }
    return new ComparisonReport(
        source, sequence, null, from == null ? now : from, now, counts, List.copyOf(samples));
  }

  /** Adds an undelivered report's counts back, to go with the next one. */
  public synchronized void restore(ComparisonReport report) {
    if (from == null || report.from().isBefore(from)) {
      from = report.from();
    }
    for (ComparisonReport.EndpointCounts c : report.endpoints()) {
      Endpoint e = endpoint(c.endpoint());
      e.compared += c.compared();
      e.secondaryCompared += c.secondaryCompared();
      e.skipped += c.skipped();
      for (ComparisonReport.PathCounts p : c.paths()) {
        long[] n = e.path(p.path());
        n[0] += p.candidate();
        n[1] += p.secondary();
      }
      for (ComparisonReport.SignatureCount s : c.signatures()) {
        e.signatures.merge(s.paths(), s.count(), Long::sum);
      }
    }
    if (samples.size() < maxSamples * 4) {
      samples.addAll(0, report.samples());
    }
  }

  private void started() {
    if (from == null) {
      from = clock.instant();
    }
  }

  private Endpoint endpoint(String name) {
    Endpoint e = endpoints.get(name);
    if (e == null) {
      String key = endpoints.size() >= maxEndpoints ? OTHER : name;
      e = endpoints.computeIfAbsent(key, Endpoint::new);
    }
    return e;
  }

  private static final class Endpoint {
    final String name;
    long compared;
    long secondaryCompared;
    long skipped;
    final Map<String, long[]> paths = new LinkedHashMap<>();
    final Map<List<String>, Long> signatures = new LinkedHashMap<>();

    Endpoint(String name) {
      this.name = name;
    }

    long[] path(String p) {
      return paths.computeIfAbsent(p, k -> new long[2]);
    }

    ComparisonReport.EndpointCounts counts() {
      List<ComparisonReport.PathCounts> ps = new ArrayList<>();
      paths.forEach((p, n) -> ps.add(new ComparisonReport.PathCounts(p, n[0], n[1])));
      List<ComparisonReport.SignatureCount> ss = new ArrayList<>();
      signatures.forEach((s, n) -> ss.add(new ComparisonReport.SignatureCount(s, n)));
      return new ComparisonReport.EndpointCounts(
          name, compared, secondaryCompared, skipped, ps, ss);
    }
  }
}
