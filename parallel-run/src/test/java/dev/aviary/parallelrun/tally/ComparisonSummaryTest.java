package dev.aviary.parallelrun.tally;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.parallelrun.report.ComparisonReport;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ComparisonSummaryTest {

  private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

  private static SortedSet<String> paths(String... p) {
    return new TreeSet<>(List.of(p));
  }

  private static ComparisonReport.Sample sample() {
    return sample(List.of());
  }

  private static ComparisonReport.Sample sample(List<String> paths) {
    ComparisonReport.Answer a = new ComparisonReport.Answer(200, Map.of(), "{}");
    return new ComparisonReport.Sample("e", paths, "GET /", "", a, a, null, Instant.EPOCH);
  }

  /**
   * A world like the proxy's: every answer carries a timestamp and a random id (they differ between
   * any two instances), and the candidate gets one field wrong in 3 % of requests. The summary must
   * call the timestamp and id noise and count exactly the requests with the bug.
   */
  @Test
  void noiseSharedWithTheSecondaryIsNotAMismatchButARealDifferenceIs() {
    Tally tally = new Tally("proxy-1", clock);
    SplittableRandom random = new SplittableRandom(7);
    int bugs = 0;
    for (int i = 0; i < 2000; i++) {
      boolean bug = random.nextDouble() < 0.03;
      bugs += bug ? 1 : 0;
      SortedSet<String> candidate = paths("$.servedAt", "$.requestId");
      if (bug) {
        candidate.add("$.price.amount");
      }
      tally.compared(
          "GET /quote",
          candidate,
          paths("$.servedAt", "$.requestId"),
          () -> sample(List.copyOf(candidate)));
    }
    ComparisonReport report = tally.drain("r-1");
    ComparisonSummary s = ComparisonSummary.builder().add(report).build(NoiseThresholds.DEFAULT);
    assertThat(s.comparisons()).isEqualTo(2000);
    assertThat(s.mismatches()).isEqualTo(bugs);
    assertThat(s.noisy()).isEqualTo(2000 - bugs);
    assertThat(s.matches()).isZero();
    var fields = s.endpoints().get(0).fields();
    assertThat(fields.get(0).path()).isEqualTo("$.price.amount");
    assertThat(fields.get(0).noise()).isFalse();
    assertThat(fields.stream().filter(ComparisonSummary.FieldSummary::noise).map(f -> f.path()))
        .containsExactlyInAnyOrder("$.servedAt", "$.requestId");
    // the first three examples of each path
    assertThat(report.samples().stream().filter(x -> x.paths().contains("$.price.amount")))
        .hasSize(3);
    assertThat(report.samples().stream().filter(x -> x.paths().contains("$.servedAt")))
        .hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void withoutASecondaryEveryDifferenceIsAMismatch() {
    Tally tally = new Tally("lib", clock);
    tally.compared("pricing", paths("$.at"), null, ComparisonSummaryTest::sample);
    tally.compared("pricing", paths(), null, ComparisonSummaryTest::sample);
    tally.skipped("pricing");
    ComparisonSummary s =
        ComparisonSummary.builder().add(tally.drain(null)).build(NoiseThresholds.DEFAULT);
    assertThat(s.mismatches()).isEqualTo(1);
    assertThat(s.matches()).isEqualTo(1);
    assertThat(s.skipped()).isEqualTo(1);
    assertThat(s.mismatchRate()).isEqualTo(0.5);
  }

  @Test
  void reportsAddUpAndARestoredReportIsNotLost() {
    Tally tally = new Tally("p", clock);
    tally.compared("e", paths("status"), null, ComparisonSummaryTest::sample);
    ComparisonReport first = tally.drain("r");
    tally.compared("e", paths(), null, ComparisonSummaryTest::sample);
    tally.restore(first);
    ComparisonReport second = tally.drain("r");
    assertThat(second.sequence()).isEqualTo(first.sequence() + 1);
    ComparisonSummary s = ComparisonSummary.builder().add(second).build(NoiseThresholds.DEFAULT);
    assertThat(s.comparisons()).isEqualTo(2);
    assertThat(s.mismatches()).isEqualTo(1);
    assertThat(tally.isEmpty()).isTrue();
  }

  @Test
  void signaturesBeyondTheBoundCountAsMismatches() {
    Tally tally = new Tally("p", clock, 10, 2, 0);
    tally.compared("e", paths("$.a"), paths("$.a"), ComparisonSummaryTest::sample);
    tally.compared("e", paths(), paths(), ComparisonSummaryTest::sample);
    tally.compared("e", paths("$.a"), paths("$.a"), ComparisonSummaryTest::sample);
    tally.compared("e", paths("$.b"), paths(), ComparisonSummaryTest::sample); // a third set
    ComparisonSummary s =
        ComparisonSummary.builder().add(tally.drain(null)).build(NoiseThresholds.DEFAULT);
    assertThat(s.noisy()).isEqualTo(2);
    assertThat(s.matches()).isEqualTo(1);
    assertThat(s.mismatches()).isEqualTo(1);
  }

  /**
   * A candidate that fails a third of its requests (cold, overloaded) answers the timestamp less
   * often than the secondary does: the timestamp must still read as noise, and the failures count.
   */
  @Test
  void fieldsAreJudgedOnTheAnswersEachSideGaveNotOnItsFailures() {
    Tally tally = new Tally("p", clock);
    for (int i = 0; i < 900; i++) {
      boolean failed = i % 3 == 0;
      tally.compared(
          "e",
          failed ? paths("error") : paths("$.at"),
          paths("$.at"),
          ComparisonSummaryTest::sample);
    }
    ComparisonSummary s =
        ComparisonSummary.builder().add(tally.drain(null)).build(NoiseThresholds.DEFAULT);
    var fields = s.endpoints().get(0).fields();
    assertThat(fields)
        .filteredOn(f -> f.path().equals("$.at"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.noise()).isTrue();
              assertThat(f.candidateRate()).isEqualTo(1.0);
            });
    assertThat(s.mismatches()).isEqualTo(300);
    assertThat(s.candidateErrors()).isEqualTo(300);
    assertThat(s.noisy()).isEqualTo(600);
  }

  @Test
  void thresholdsFollowDiffysRule() {
    NoiseThresholds t = new NoiseThresholds(0.2, 0.0003);
    assertThat(t.isNoise(100, 100, 100, 100)).isTrue(); // always different on both sides
    assertThat(t.isNoise(30, 1000, 0, 1000)).isFalse(); // 3 % vs none
    assertThat(t.isNoise(55, 100, 45, 100)).isTrue(); // relative (55-45)/100 = 0.1 < 0.2
    assertThat(t.isNoise(70, 100, 40, 100)).isFalse(); // relative 30/110 = 0.27
    assertThat(t.isNoise(5, 100, 0, 0)).isFalse(); // no secondary: nothing is noise
  }
}
