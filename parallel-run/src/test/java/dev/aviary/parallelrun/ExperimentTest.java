package dev.aviary.parallelrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.aviary.parallelrun.compare.CompareOptions;
import dev.aviary.parallelrun.tally.ComparisonSummary;
import dev.aviary.parallelrun.tally.NoiseThresholds;
import dev.aviary.parallelrun.tally.Tally;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExperimentTest {

  private final List<Result<?>> results = new CopyOnWriteArrayList<>();

  private Laboratory lab(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return Laboratory.builder()
        .random(
            () -> {
              synchronized (random) {
                return random.nextDouble();
              }
            })
        .timeout(Duration.ofMillis(200))
        .publisher(results::add)
        .build();
  }

  @Test
  void theCallerAlwaysGetsTheControlsValueAndTheCandidateIsCompared() {
    try (Laboratory lab = lab(1)) {
      for (int i = 0; i < 50; i++) {
        int n = i;
        int v =
            lab.experiment("double")
                .control(() -> n * 2)
                .candidate(() -> n % 10 == 0 ? -1 : n * 2)
                .inline()
                .run();
        assertThat(v).isEqualTo(n * 2);
      }
    }
    assertThat(results).hasSize(50);
    assertThat(results.stream().filter(r -> r.outcome() == Outcome.MISMATCH)).hasSize(5);
    assertThat(results.stream().filter(r -> r.outcome() == Outcome.MATCH)).hasSize(45);
  }

  @Test
  void candidateExceptionsAreSwallowedAndReportedAndControlExceptionsPropagate() {
    try (Laboratory lab = lab(2)) {
      String v =
          lab.experiment("x")
              .control(() -> "ok")
              .candidate(
                  () -> {
                    throw new IllegalStateException("boom");
                  })
              .run();
      assertThat(v).isEqualTo("ok");
      await().until(() -> results.size() == 1);
      assertThat(results.get(0).outcome()).isEqualTo(Outcome.CANDIDATE_ERROR);
      assertThat(results.get(0).paths()).containsExactly("error");
      assertThatThrownBy(
              () ->
                  lab.experiment("y")
                      .<String>control(
                          () -> {
                            throw new IllegalArgumentException("bad");
                          })
                      .candidate(
                          () -> {
                            throw new IllegalArgumentException("bad");
                          })
                      .inline()
                      .run())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("bad");
      assertThat(results.get(1).outcome()).isEqualTo(Outcome.MATCH); // the same exception
    }
  }

  @Test
  void theEnabledPercentageIsRespected() {
    AtomicInteger candidates = new AtomicInteger();
    try (Laboratory lab = lab(3)) {
      for (int i = 0; i < 10_000; i++) {
        lab.experiment("p")
            .control(() -> 1)
            .candidate(() -> candidates.incrementAndGet())
            .enabled(20)
            .inline()
            .run();
      }
    }
    // 20 % of 10,000: the standard deviation is 40, so 5 of them either way
    assertThat(candidates.get()).isBetween(1800, 2200);
    assertThat(results).hasSize(candidates.get());
  }

  @Test
  void aSlowCandidateTimesOutAndASaturatedExecutorSkipsWithoutDelayingTheCaller() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (Laboratory lab =
        Laboratory.builder()
            .bounded(1, 0)
            .timeout(Duration.ofMillis(100))
            .publisher(results::add)
            .build()) {
      String first =
          lab.experiment("slow")
              .control(() -> "a")
              .candidate(
                  () -> {
                    waitFor(release);
                    return "a";
                  })
              .run();
      String second = lab.experiment("slow").control(() -> "b").candidate(() -> "b").run();
      assertThat(first).isEqualTo("a");
      assertThat(second).isEqualTo("b");
      await().until(() -> results.size() == 2);
      assertThat(results)
          .extracting(Result::outcome)
          .containsExactlyInAnyOrder(Outcome.SKIPPED, Outcome.TIMEOUT);
      release.countDown();
    }
  }

  @Test
  void structuralComparisonNamesFieldsAndResultsReachMicrometerAndTheTally() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Tally tally = new Tally("service-1", Clock.systemUTC());
    try (Laboratory lab =
        Laboratory.builder()
            .publisher(new MicrometerPublisher(registry))
            .publisher(new TallyPublisher(tally))
            .build()) {
      for (int i = 0; i < 10; i++) {
        int n = i;
        lab.experiment("pricing")
            .control(() -> Map.of("amount", n, "currency", "EUR"))
            .candidate(() -> Map.of("amount", n == 3 ? 99 : n, "currency", "EUR"))
            .structural(CompareOptions.DEFAULT)
            .inline()
            .run();
      }
    }
    assertThat(
            registry
                .counter(
                    "aviary.experiment.results", "experiment", "pricing", "outcome", "mismatch")
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .counter("aviary.experiment.results", "experiment", "pricing", "outcome", "match")
                .count())
        .isEqualTo(9);
    assertThat(
            registry
                .timer(
                    "aviary.experiment.duration", "experiment", "pricing", "behaviour", "candidate")
                .count())
        .isEqualTo(10);
    ComparisonSummary s =
        ComparisonSummary.builder().add(tally.drain(null)).build(NoiseThresholds.DEFAULT);
    assertThat(s.comparisons()).isEqualTo(10);
    assertThat(s.mismatches()).isEqualTo(1);
    assertThat(s.endpoints().get(0).fields().get(0).path()).isEqualTo("$.amount");
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
